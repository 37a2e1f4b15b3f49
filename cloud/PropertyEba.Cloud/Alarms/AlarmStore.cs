using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// Stores raised and cleared alarms with their incident, and writes their events to the outbox in the same
/// transaction. Decides, when raising, whether the alarm is announced: not when suppressed by design (the rule's cause
/// is open at the site, or the device's communication is lost and this is one of its value alarms), not while the
/// device is out of service.
/// </summary>
public sealed partial class AlarmStore(IDbContextFactory<EbaDbContext> dbFactory, AlarmRuleCache rules, TimeProvider time, ILogger<AlarmStore> logger)
{
    public async Task<long> RaiseAsync(AlarmRule rule, SeriesKey series, double value, long ts, CancellationToken ct)
    {
        var device = await rules.DeviceAsync(series.TenantId, series.SiteId, series.DeviceId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var open = db.Set<Alarm>().Where(a => a.TenantId == series.TenantId && a.SiteId == series.SiteId && a.State != Contracts.Api.AlarmState.Cleared);
        string? suppressedBy = null;
        if (rule.SuppressedByRuleId is { } cause && await open.AnyAsync(a => a.RuleId == cause && a.ClearedUtc == null, ct))
        {
            suppressedBy = cause;
        }
        else if (!series.PointId.StartsWith(Modbus.Profiles.DeviceProfileLoader.ReservedPointPrefix, StringComparison.Ordinal)
            && await open.AnyAsync(a => a.DeviceId == series.DeviceId && a.PointId == CommunicationPoint.Id && a.ClearedUtc == null, ct))
        {
            suppressedBy = CommunicationPoint.Id;
        }

        var outOfService = await db.Set<DeviceOutOfService>().AnyAsync(o => o.TenantId == series.TenantId && o.SiteId == series.SiteId && o.DeviceId == series.DeviceId, ct);
        var incident = await AlarmIncidents.OpenForAsync(db, series.TenantId, series.SiteId, series.DeviceId, time.GetUtcNow(), ct);
        var alarm = new Alarm
        {
            TenantId = series.TenantId,
            SiteId = series.SiteId,
            DeviceId = series.DeviceId,
            PointId = series.PointId,
            RuleId = rule.RuleId,
            Severity = rule.Severity,
            State = Contracts.Api.AlarmState.Active,
            Message = MessageCatalog.AlarmRaised(rule.LocalizedName),
            Value = value,
            RaisedUtc = DateTimeOffset.FromUnixTimeMilliseconds(ts),
            IncidentId = incident.Id,
            Latched = rule.Latched,
            SuppressedBy = suppressedBy,
            OutOfService = outOfService,
        };
        db.Add(alarm);
        await db.SaveChangesAsync(ct);
        if (alarm.IsAnnounced)
        {
            db.AddDomainEvent(AlarmEventFactory.Raised(alarm, device.EquipmentClass));
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        LogRaised(alarm.Id, rule.RuleId, series.ToString(), value, rule.Severity.ToString(), incident.Id, suppressedBy ?? (outOfService ? "out of service" : "no"));
        return alarm.Id;
    }

    /// <summary>The condition has cleared: a latched alarm waits for its reset, any other is over.</summary>
    public async Task ClearAsync(long alarmId, double? value, long ts, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alarm = await db.Set<Alarm>().SingleOrDefaultAsync(a => a.Id == alarmId, ct);
        if (alarm is null || alarm.ClearedUtc is not null)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        alarm.State = AlarmLifecycle.OnConditionCleared(alarm.Latched);
        alarm.ClearedUtc = DateTimeOffset.FromUnixTimeMilliseconds(ts);
        alarm.ReAlarmDueUtc = null;
        alarm.Value = value ?? alarm.Value;
        await db.SaveChangesAsync(ct);
        if (alarm.SuppressedBy is null && !alarm.OutOfService)
        {
            db.AddDomainEvent(AlarmEventFactory.Cleared(alarm));
        }

        await AlarmIncidents.CloseIfOverAsync(db, alarm.IncidentId, time.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogCleared(alarm.Id, alarm.RuleId, value ?? double.NaN, alarm.State.ToString());
    }

    /// <summary>The alarms whose condition held when the service stopped: the engine re-arms their tracks.</summary>
    public async Task<List<Alarm>> ActiveAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Alarm>().AsNoTracking().Where(a => a.ClearedUtc == null && a.State != Contracts.Api.AlarmState.Cleared).ToListAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alarm {AlarmId} raised by rule {RuleId} on {Series}: value {Value}, severity {Severity}, incident {IncidentId}, suppressed: {Suppressed}")]
    private partial void LogRaised(long alarmId, string ruleId, string series, double value, string severity, long incidentId, string suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alarm {AlarmId} ({RuleId}) cleared at value {Value}: {State}")]
    private partial void LogCleared(long alarmId, string ruleId, double value, string state);
}

/// <summary>The incident of a piece of equipment: opened by its first alarm, closed when its last is back to normal.</summary>
public static class AlarmIncidents
{
    public static async Task<AlarmIncident> OpenForAsync(EbaDbContext db, string tenantId, string siteId, string deviceId, DateTimeOffset now, CancellationToken ct)
    {
        var incident = await db.Set<AlarmIncident>()
            .Where(i => i.TenantId == tenantId && i.SiteId == siteId && i.DeviceId == deviceId && i.ClosedUtc == null)
            .OrderByDescending(i => i.Id).FirstOrDefaultAsync(ct);
        if (incident is null)
        {
            incident = new AlarmIncident { TenantId = tenantId, SiteId = siteId, DeviceId = deviceId, OpenedUtc = now };
            db.Add(incident);
            await db.SaveChangesAsync(ct);
        }

        return incident;
    }

    /// <summary>Closes the incident when none of its alarms is open any more (call after saving the alarm's change).</summary>
    public static async Task CloseIfOverAsync(EbaDbContext db, long incidentId, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Set<Alarm>().AnyAsync(a => a.IncidentId == incidentId && a.State != Contracts.Api.AlarmState.Cleared, ct))
        {
            return;
        }

        var incident = await db.Set<AlarmIncident>().SingleOrDefaultAsync(i => i.Id == incidentId, ct);
        if (incident is { ClosedUtc: null })
        {
            incident.ClosedUtc = now;
        }
    }
}

/// <summary>The events of an alarm, from its row.</summary>
public static class AlarmEventFactory
{
    public static AlarmRaised Raised(Alarm a, string? equipmentClass) =>
        new(a.TenantId, a.SiteId, a.DeviceId, a.Id, a.IncidentId, a.RuleId, a.Severity, a.Message, a.RaisedUtc, a.PointId, a.Value, equipmentClass);

    public static AlarmCleared Cleared(Alarm a) =>
        new(a.TenantId, a.SiteId, a.DeviceId, a.Id, a.IncidentId, a.RuleId, a.Severity, a.Message, a.ClearedUtc ?? a.RaisedUtc, a.Value, a.State == Contracts.Api.AlarmState.ClearedUnacknowledged);
}
