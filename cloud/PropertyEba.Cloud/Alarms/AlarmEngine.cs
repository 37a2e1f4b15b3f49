using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// Turns samples into alarms: matches each sample to the tenant's enabled rules (<see cref="AlarmRuleCache"/>), runs
/// the <see cref="AlarmEvaluator"/>, and has the <see cref="AlarmStore"/> store raised and cleared alarms with their
/// events in the outbox — who reacts (the live feed, tickets, notifications) is theirs to say, not the engine's. Called by
/// the single ingestion worker, in sample order, and every second by <see cref="AlarmOnDelayTimer"/>: a condition that
/// waits for its on-delay (or off-delay, or a point's silence) is judged when the wait ends, even if no further sample
/// comes; the waits are kept by the <see cref="AlarmOnDelayScheduler"/> and survive a restart.
/// <para>
/// Times of samples are the edge's; the cloud's clock only measures how long a waiting condition has waited since its
/// last sample arrived, so an edge clock that is off, or a backlog replayed after an outage, neither skips nor shortens a
/// delay.
/// </para>
/// </summary>
public sealed partial class AlarmEngine(
    AlarmRuleCache rules,
    AlarmOnDelayScheduler scheduler,
    AlarmStore store,
    TimeProvider time,
    ILogger<AlarmEngine> logger)
{
    private readonly Dictionary<(string RuleId, SeriesKey Series), SeriesState> _tracks = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _restored;

    /// <summary>Forgets cached rules so the next sample sees rule changes at once.</summary>
    public void InvalidateRules(string tenantId) => rules.Invalidate(tenantId);

    public async Task ProcessAsync(string tenantId, string siteId, IReadOnlyList<PointReading> samples, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await RestoreOnceAsync(cancellationToken);
            var tenantRules = await rules.ForTenantAsync(tenantId, cancellationToken);
            if (tenantRules.Count == 0)
            {
                return;
            }

            foreach (var (deviceId, pointId, value, ts) in samples)
            {
                if (!tenantRules.ByPoint.ContainsKey(pointId))
                {
                    continue;
                }

                var series = new SeriesKey(tenantId, siteId, deviceId, pointId);
                foreach (var rule in tenantRules.Candidates(pointId, deviceId))
                {
                    if (await rules.AppliesAsync(rule, series, cancellationToken))
                    {
                        await ApplyAsync(rule, series, ts, track => AlarmEvaluator.Evaluate(rule, track, value, ts), value, cancellationToken);
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
    /// Judges the series whose wait has run out, as at the end of the wait on the edge's timeline. A rule that was
    /// disabled, removed or narrowed to other devices meanwhile does nothing. One series that fails is logged and tried
    /// again at the next call; the others go on.
    /// </summary>
    public async Task RaiseDueAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await RestoreOnceAsync(cancellationToken);
            foreach (var (ruleId, series, waiting) in scheduler.Due(time.GetUtcNow()))
            {
                try
                {
                    var tenantRules = await rules.ForTenantAsync(series.TenantId, cancellationToken);
                    if (!tenantRules.ById.TryGetValue(ruleId, out var rule) || rule.PointId != series.PointId || !await rules.AppliesAsync(rule, series, cancellationToken))
                    {
                        await scheduler.CancelAsync(ruleId, series, cancellationToken);
                        continue;
                    }

                    await ApplyAsync(rule, series, waiting.DueUtcMs, track => AlarmEvaluator.Elapse(rule, track, waiting.DueUtcMs), null, cancellationToken);
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

    private async Task ApplyAsync(AlarmRule rule, SeriesKey series, long ts, Func<AlarmTrack, (AlarmTrack, AlarmTransition)> judge, double? value, CancellationToken ct)
    {
        var key = (rule.RuleId, series);
        _tracks.TryGetValue(key, out var state);
        var (track, transition) = judge(state.Track);
        var alarmId = state.AlarmId;
        switch (transition)
        {
            case AlarmTransition.Raise:
                alarmId = await store.RaiseAsync(rule, series, value ?? track.LastValue ?? double.NaN, ts, ct);
                break;
            case AlarmTransition.Clear when alarmId is not null:
                await store.ClearAsync(alarmId.Value, value, ts, ct);
                alarmId = null;
                break;
        }

        _tracks[key] = new SeriesState(track, alarmId);
        var (kind, dueUtcMs) = track.DueUtcMs(rule) is { } due
            ? (track.Active ? PendingKinds.Clear : PendingKinds.Raise, due)
            : AlarmEvaluator.SilenceDueUtcMs(rule, track) is { } silent ? (PendingKinds.Silence, silent) : (null, 0L);
        if (kind is null)
        {
            await scheduler.CancelAsync(rule.RuleId, series, ct);
            return;
        }

        // Due when the rest of the wait, on the edge's timeline, has passed on the cloud's clock from now.
        var dueUtc = time.GetUtcNow() + TimeSpan.FromMilliseconds(Math.Max(0, dueUtcMs - ts));
        var since = kind switch
        {
            PendingKinds.Raise => track.ConditionSinceUtcMs!.Value,
            PendingKinds.Clear => track.ClearSinceUtcMs!.Value,
            _ => track.LastUtcMs!.Value,
        };
        await scheduler.ScheduleAsync(rule.RuleId, series, new AlarmOnDelayScheduler.Waiting(kind, value ?? track.LastValue ?? 0, since, dueUtcMs, dueUtc), ct);
    }

    // After a restart the store is the truth: the open alarms re-arm their tracks (the same episode is not raised twice),
    // and the waits that were running go on.
    private async Task RestoreOnceAsync(CancellationToken ct)
    {
        if (_restored)
        {
            return;
        }

        foreach (var a in await store.ActiveAsync(ct))
        {
            _tracks[(a.RuleId, new SeriesKey(a.TenantId, a.SiteId, a.DeviceId, a.PointId))] =
                new SeriesState(new AlarmTrack(true, a.RaisedUtc.ToUnixTimeMilliseconds(), LastValue: a.Value), a.Id);
        }

        foreach (var (ruleId, series, w) in await scheduler.RestoreAsync(ct))
        {
            _tracks.TryGetValue((ruleId, series), out var state);
            var track = w.Kind switch
            {
                PendingKinds.Raise => new AlarmTrack(false, w.SinceUtcMs, LastValue: w.Value, LastUtcMs: w.SinceUtcMs),
                PendingKinds.Clear => state.Track with { Active = true, ClearSinceUtcMs = w.SinceUtcMs, LastValue = w.Value },
                _ => new AlarmTrack(false, null, LastValue: w.Value, LastUtcMs: w.SinceUtcMs),
            };
            _tracks[(ruleId, series)] = state with { Track = track };
        }

        _restored = true;
        LogRestored(_tracks.Count, scheduler.Count);
    }

    // Where one rule stands for one series, and the alarm it has open.
    private readonly record struct SeriesState(AlarmTrack Track, long? AlarmId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Judging rule {RuleId} on {Series} after its wait ran out failed; trying again in a second")]
    private partial void LogRaiseDueFailed(Exception ex, string ruleId, string series);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alarm engine restored {Tracks} tracks, {Waiting} of them waiting for time to pass")]
    private partial void LogRestored(int tracks, int waiting);
}
