using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// Turns samples into alarms: matches each sample to the tenant's enabled rules, runs the
/// <see cref="AlarmEvaluator"/>, stores raised and cleared alarms, opens a ticket for rules that ask
/// for one, and publishes the change live. Called by the single ingestion worker, in sample order, and
/// every second by <see cref="AlarmOnDelayTimer"/>: a condition that holds but waits for its on-delay is
/// raised when the delay runs out even if no further sample comes (an event-driven point such as
/// <see cref="CommunicationPoint"/> gets one sample per change).
/// <para>
/// Times of samples are the edge's; the cloud's clock only measures how long a waiting condition has
/// waited since its last sample arrived, so an edge clock that is off, or a backlog replayed after an
/// outage, neither skips nor shortens an on-delay.
/// </para>
/// </summary>
public sealed partial class AlarmEngine(
    IDbContextFactory<EbaDbContext> dbFactory,
    TicketService tickets,
    LiveEvents live,
    TimeProvider time,
    ILogger<AlarmEngine> logger)
{
    private static readonly TimeSpan RuleRefresh = TimeSpan.FromSeconds(15);
    private readonly Dictionary<string, TenantRules> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<(string RuleId, SeriesKey Series), SeriesState> _tracks = [];
    private readonly Dictionary<(string Tenant, string Site, string Device), string?> _models = [];

    // Series whose condition holds but whose rule's on-delay has not run out.
    private readonly Dictionary<(string RuleId, SeriesKey Series), WaitingCondition> _waiting = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _restored;

    /// <summary>Forgets cached rules so the next sample sees rule changes at once.</summary>
    public void InvalidateRules(string tenantId)
    {
        lock (_rules)
        {
            _rules.Remove(tenantId);
        }
    }

    public async Task ProcessAsync(string tenantId, string siteId, IReadOnlyList<PointReading> samples, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_restored)
            {
                await RestoreActiveAlarmsAsync(cancellationToken);
                _restored = true;
            }

            var rules = await RulesForAsync(tenantId, cancellationToken);
            if (rules.Count == 0)
            {
                return;
            }

            foreach (var (deviceId, pointId, value, ts) in samples)
            {
                if (!rules.ByPoint.TryGetValue(pointId, out var candidates))
                {
                    continue;
                }

                var series = new SeriesKey(tenantId, siteId, deviceId, pointId);
                foreach (var rule in candidates)
                {
                    if (await AppliesAsync(rule, series, cancellationToken))
                    {
                        await ApplyAsync(rule, series, value, ts, cancellationToken);
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Raises the alarms whose on-delay has run out while their condition held, as if their last value had come
    /// again when the delay ended. A rule that was disabled, removed or narrowed to other devices meanwhile raises
    /// nothing. One series that fails is logged and tried again at the next call; the others go on.
    /// </summary>
    public async Task RaiseDueAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetTimestamp();
            foreach (var ((ruleId, series), waiting) in _waiting.ToList())
            {
                if (now < waiting.DueTimestamp)
                {
                    continue;
                }

                try
                {
                    var rules = await RulesForAsync(series.TenantId, cancellationToken);
                    var rule = rules.ByPoint.GetValueOrDefault(series.PointId)?.FirstOrDefault(r => r.RuleId == ruleId);
                    if (rule is null || !await AppliesAsync(rule, series, cancellationToken))
                    {
                        _waiting.Remove((ruleId, series));
                        continue;
                    }

                    await ApplyAsync(rule, series, waiting.Value, waiting.DueUtcMs, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogRaiseDueFailed(ex, ruleId, series.ToString());
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // The rule's scope: its site, device and model, if it names them.
    private async Task<bool> AppliesAsync(AlarmRule rule, SeriesKey series, CancellationToken cancellationToken) =>
        (rule.SiteId is null || rule.SiteId == series.SiteId)
        && (rule.DeviceId is null || rule.DeviceId == series.DeviceId)
        && (rule.Model is null || await ModelOfAsync(series.TenantId, series.SiteId, series.DeviceId, cancellationToken) == rule.Model);

    private async Task ApplyAsync(AlarmRule rule, SeriesKey series, double value, long ts, CancellationToken cancellationToken)
    {
        var key = (rule.RuleId, series);
        _tracks.TryGetValue(key, out var state);
        var (track, transition) = AlarmEvaluator.Evaluate(rule, state.Track, value, ts);
        var alarmId = state.AlarmId;
        switch (transition)
        {
            case AlarmTransition.Raise:
                alarmId = await RaiseAsync(rule, series, value, ts, cancellationToken);
                break;
            case AlarmTransition.Clear when alarmId is not null:
                await ClearAsync(alarmId.Value, value, ts, cancellationToken);
                alarmId = null;
                break;
        }

        _tracks[key] = new SeriesState(track, alarmId);
        if (track is { Active: false, ConditionSinceUtcMs: { } since })
        {
            // Due when the rest of the on-delay, on the edge's timeline, has passed on the cloud's clock from now.
            var dueUtcMs = since + (rule.OnDelaySeconds * 1000L);
            var dueTimestamp = time.GetTimestamp() + (long)((dueUtcMs - ts) / 1000.0 * time.TimestampFrequency);
            _waiting[key] = new WaitingCondition(value, dueUtcMs, dueTimestamp);
        }
        else
        {
            _waiting.Remove(key);
        }
    }

    private async Task<long> RaiseAsync(AlarmRule rule, SeriesKey series, double value, long ts, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alarm = new Alarm
        {
            TenantId = series.TenantId,
            SiteId = series.SiteId,
            DeviceId = series.DeviceId,
            PointId = series.PointId,
            RuleId = rule.RuleId,
            Severity = rule.Severity,
            State = AlarmState.Active,
            Message = MessageCatalog.AlarmRaised(rule.LocalizedName),
            Value = value,
            RaisedUtc = DateTimeOffset.FromUnixTimeMilliseconds(ts),
        };
        // One transaction: nobody reads an alarm whose ticket is not there yet.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Add(alarm);
        await db.SaveChangesAsync(ct);
        Ticket? ticket = null;
        if (rule.OpensTicket)
        {
            // The device by its names in both languages; an edge (edge-offline) has no device row, so its id it is.
            var device = await db.Set<Device>()
                .Where(d => d.TenantId == series.TenantId && d.SiteId == series.SiteId && d.DeviceId == series.DeviceId)
                .Select(d => new LocalizedName(d.Name, d.NameZh))
                .FirstOrDefaultAsync(ct);
            var title = MessageCatalog.TicketForAlarm(rule.LocalizedName, device == default ? new LocalizedName(series.DeviceId, null) : device);
            ticket = await tickets.AddAsync(db, series.TenantId, series.SiteId, series.DeviceId, alarm.Id, title, rule.Severity, ct);
            alarm.TicketId = ticket.Id;
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        LogRaised(alarm.Id, rule.RuleId, series.ToString(), value, rule.Severity.ToString());
        if (ticket is not null)
        {
            tickets.Announce(ticket);
        }

        live.PublishAlarm(alarm.ToDto());
        return alarm.Id;
    }

    private async Task ClearAsync(long alarmId, double value, long ts, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alarm = await db.Set<Alarm>().SingleOrDefaultAsync(a => a.Id == alarmId, ct);
        if (alarm is null || alarm.State == AlarmState.Cleared)
        {
            return;
        }

        alarm.State = AlarmState.Cleared;
        alarm.ClearedUtc = DateTimeOffset.FromUnixTimeMilliseconds(ts);
        alarm.Value = value;
        await db.SaveChangesAsync(ct);
        LogCleared(alarm.Id, alarm.RuleId, value);
        live.PublishAlarm(alarm.ToDto());
    }

    // After a restart the alarms still open in the store are the truth: re-arm their tracks so the
    // same episode is not raised twice.
    private async Task RestoreActiveAlarmsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await db.Set<Alarm>().Where(a => a.State != AlarmState.Cleared).ToListAsync(ct);
        foreach (var a in open)
        {
            _tracks[(a.RuleId, new SeriesKey(a.TenantId, a.SiteId, a.DeviceId, a.PointId))] = new SeriesState(new AlarmTrack(true, a.RaisedUtc.ToUnixTimeMilliseconds()), a.Id);
        }
    }

    private async Task<TenantRules> RulesForAsync(string tenantId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_rules)
        {
            if (_rules.TryGetValue(tenantId, out var cached) && now - cached.LoadedUtc < RuleRefresh)
            {
                return cached;
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rules = await db.Set<AlarmRule>().AsNoTracking().Where(r => r.TenantId == tenantId && r.Enabled).ToListAsync(ct);
        var loaded = new TenantRules(now, rules.GroupBy(r => r.PointId).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal));
        lock (_rules)
        {
            _rules[tenantId] = loaded;
        }

        return loaded;
    }

    private async Task<string?> ModelOfAsync(string tenantId, string siteId, string deviceId, CancellationToken ct)
    {
        if (_models.TryGetValue((tenantId, siteId, deviceId), out var model))
        {
            return model;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        model = await db.Set<Device>().Where(d => d.TenantId == tenantId && d.SiteId == siteId && d.DeviceId == deviceId).Select(d => d.Model).SingleOrDefaultAsync(ct);
        if (model is not null)
        {
            _models[(tenantId, siteId, deviceId)] = model;
        }

        return model;
    }

    // Where one rule stands for one series, and the alarm it has open.
    private readonly record struct SeriesState(AlarmTrack Track, long? AlarmId);

    // A condition waiting for its on-delay: the value that made it hold, when the delay ends on the edge's
    // timeline, and when that is on this process's clock (TimeProvider timestamp).
    private readonly record struct WaitingCondition(double Value, long DueUtcMs, long DueTimestamp);

    private sealed record TenantRules(DateTimeOffset LoadedUtc, Dictionary<string, AlarmRule[]> ByPoint)
    {
        public int Count => ByPoint.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alarm {AlarmId} raised by rule {RuleId} on {Series}: value {Value}, severity {Severity}")]
    private partial void LogRaised(long alarmId, string ruleId, string series, double value, string severity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Raising the alarm of rule {RuleId} on {Series} after its on-delay failed; trying again in a second")]
    private partial void LogRaiseDueFailed(Exception ex, string ruleId, string series);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alarm {AlarmId} ({RuleId}) cleared at value {Value}")]
    private partial void LogCleared(long alarmId, string ruleId, double value);
}
