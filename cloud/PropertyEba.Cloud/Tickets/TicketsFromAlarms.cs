using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Tickets;

/// <summary>
/// Section <c>Tickets:FromAlarms</c>: which alarms open a ticket (their rule must ask for one too), and how long a closed
/// ticket is reopened by its equipment's next alarm instead of a new one being opened.
/// </summary>
public sealed class TicketPolicyOptions
{
    public const string SectionName = "Tickets:FromAlarms";

    /// <summary>The least severe alarm that opens a ticket (Emergency is the most severe, Notice the least).</summary>
    public Severity MinimumSeverity { get; set; } = Severity.Normal;

    /// <summary>Equipment classes (a device's system, e.g. <c>water-supply</c>) whose alarms open tickets; empty = every class.</summary>
    public List<string> EquipmentClasses { get; set; } = [];

    /// <summary>An alarm must have been active this long before it opens a ticket (0 = at once).</summary>
    public TimeSpan MinimumDuration { get; set; } = TimeSpan.Zero;

    /// <summary>A ticket of the same equipment closed this recently is reopened by a recurrence.</summary>
    public TimeSpan ReopenWithin { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Whether an alarm of <paramref name="severity"/> on equipment of <paramref name="equipmentClass"/>, active <paramref name="activeFor"/>, opens a ticket.</summary>
    public bool Opens(Severity severity, string? equipmentClass, TimeSpan activeFor) =>
        severity <= MinimumSeverity
        && (EquipmentClasses.Count == 0 || (equipmentClass is not null && EquipmentClasses.Contains(equipmentClass, StringComparer.Ordinal)))
        && activeFor >= MinimumDuration;
}

internal sealed class TicketPolicyOptionsValidator : IValidateOptions<TicketPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, TicketPolicyOptions o)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(o.MinimumSeverity))
        {
            errors.Add($"{TicketPolicyOptions.SectionName}:MinimumSeverity is {o.MinimumSeverity}; allowed: {string.Join(", ", Enum.GetNames<Severity>())}.");
        }

        if (o.MinimumDuration < TimeSpan.Zero || o.MinimumDuration > TimeSpan.FromDays(1))
        {
            errors.Add($"{TicketPolicyOptions.SectionName}:MinimumDuration is {o.MinimumDuration}; allowed 00:00:00 to 1.00:00:00.");
        }

        if (o.ReopenWithin < TimeSpan.Zero || o.ReopenWithin > TimeSpan.FromDays(90))
        {
            errors.Add($"{TicketPolicyOptions.SectionName}:ReopenWithin is {o.ReopenWithin}; allowed 00:00:00 to 90.00:00:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Asks the ticket's technician to verify the repair: the alarm that opened (or joined) it has cleared.</summary>
public sealed record TicketVerificationRequested(string TenantId, long TicketId, long AlarmId, DateTimeOffset At) : IDomainEvent;

/// <summary>
/// Tickets from alarms, by policy (<see cref="TicketPolicyOptions"/>): one ticket per incident (the alarms of one piece
/// of equipment). A recurrence appends to the equipment's open ticket, or reopens one closed within
/// <see cref="TicketPolicyOptions.ReopenWithin"/>, instead of opening a duplicate — found in the store, so also after a
/// restart of the service. A cleared alarm asks its ticket for verification; a closed ticket acknowledges its alarms.
/// Idempotent, as outbox handlers must be: an alarm that has its ticket is left alone.
/// </summary>
public sealed partial class TicketsFromAlarms(
    IDbContextFactory<EbaDbContext> dbFactory,
    TicketService tickets,
    AlarmService alarms,
    AuditTrail audit,
    IOptions<TicketPolicyOptions> policy,
    TimeProvider time,
    ILogger<TicketsFromAlarms> logger) :
    IDomainEventHandler<AlarmRaised>, IDomainEventHandler<AlarmCleared>, IDomainEventHandler<TicketClosed>
{
    public Task HandleAsync(AlarmRaised e, CancellationToken ct) => TicketForAsync(e.TenantId, e.AlarmId, ct);

    /// <summary>Gives the alarm its ticket if the policy says so now (also called by the sweep for <see cref="TicketPolicyOptions.MinimumDuration"/>).</summary>
    public async Task<long?> TicketForAsync(string tenantId, long alarmId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alarm = await db.Set<Alarm>().SingleOrDefaultAsync(a => a.TenantId == tenantId && a.Id == alarmId, ct);
        // Suppressed and out-of-service alarms open none; a shelved one still gets its ticket (shelving hides, it does not repair).
        if (alarm is null || alarm.TicketId is not null || alarm.SuppressedBy is not null || alarm.OutOfService || alarm.State == AlarmState.Cleared)
        {
            return alarm?.TicketId;
        }

        var rule = await db.Set<AlarmRule>().AsNoTracking().SingleOrDefaultAsync(r => r.TenantId == tenantId && r.RuleId == alarm.RuleId, ct);
        var device = await db.Set<Device>().AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.SiteId == alarm.SiteId && d.DeviceId == alarm.DeviceId)
            .Select(d => new { d.Name, d.NameZh, d.System }).FirstOrDefaultAsync(ct);
        if (rule is not { OpensTicket: true } || !policy.Value.Opens(alarm.Severity, device?.System, time.GetUtcNow() - alarm.RaisedUtc))
        {
            return null;
        }

        var incident = await db.Set<AlarmIncident>().SingleOrDefaultAsync(i => i.Id == alarm.IncidentId, ct);
        var ticket = await RecurrenceTicketAsync(db, alarm, incident, ct);
        if (ticket is null)
        {
            // The device by its names in both languages; an edge (edge-offline) has no device row, so its id it is.
            var title = MessageCatalog.TicketForAlarm(rule.LocalizedName, device is null ? new LocalizedName(alarm.DeviceId, null) : new LocalizedName(device.Name, device.NameZh));
            var opened = await tickets.OpenAsync(tenantId, alarm.SiteId, alarm.DeviceId, alarm.Id, title, alarm.Severity, ct);
            LogOpened(opened.Number, alarm.Id, alarm.IncidentId);
            alarm.TicketId = opened.Id;
        }
        else
        {
            if (ticket.Status == TicketStatus.Closed)
            {
                // Back to the technician who repaired it: they know the fault, and the reopen that keeps the assignee
                // dispatches to them again (a fresh accept clock, a notification), where a cleared one would wait unrouted.
                var (_, error) = await tickets.ApplyAsync(tenantId, ticket.Id, new TicketActionRequest("reopen", Note: $"alarm {alarm.Id} recurred", KeepAssignee: true), ct);
                if (error is not null)
                {
                    throw new InvalidOperationException($"Reopening ticket {ticket.Number} for alarm {alarm.Id} failed: {error}");
                }

                LogReopened(ticket.Number, alarm.Id);
            }
            else
            {
                LogAppended(ticket.Number, alarm.Id);
            }

            db.Add(new TicketEvent { TicketId = ticket.Id, TenantId = tenantId, Action = "alarm", From = ticket.Status, To = ticket.Status == TicketStatus.Closed ? TicketStatus.Created : ticket.Status, By = AuditTrail.SystemUser, AtUtc = time.GetUtcNow() });
            audit.Record(db, tenantId, "ticket.alarm-recurred", $"ticket/{ticket.Number}", new { alarmId = alarm.Id, incidentId = alarm.IncidentId });
            alarm.TicketId = ticket.Id;
        }

        if (incident is not null)
        {
            incident.TicketId = alarm.TicketId;
        }

        await db.SaveChangesAsync(ct);
        return alarm.TicketId;
    }

    public async Task HandleAsync(AlarmCleared e, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticketId = await db.Set<Alarm>().Where(a => a.TenantId == e.TenantId && a.Id == e.AlarmId).Select(a => a.TicketId).SingleOrDefaultAsync(ct);
        var ticket = ticketId is null ? null : await db.Set<Ticket>().SingleOrDefaultAsync(t => t.TenantId == e.TenantId && t.Id == ticketId, ct);
        if (ticket is null || ticket.Status == TicketStatus.Closed
            || await db.Set<TicketEvent>().AnyAsync(t => t.TicketId == ticket.Id && t.Action == "verify" && t.AtUtc == e.At, ct))
        {
            return;
        }

        // The repair may be done: the technician confirms it on site (the dispatch side shows the request).
        db.Add(new TicketEvent { TicketId = ticket.Id, TenantId = e.TenantId, Action = "verify", From = ticket.Status, To = ticket.Status, By = AuditTrail.SystemUser, AtUtc = e.At });
        audit.Record(db, e.TenantId, "ticket.verify-requested", $"ticket/{ticket.Number}", new { alarmId = e.AlarmId });
        db.AddDomainEvent(new TicketVerificationRequested(e.TenantId, ticket.Id, e.AlarmId, e.At));
        await db.SaveChangesAsync(ct);
    }

    public Task HandleAsync(TicketClosed e, CancellationToken ct) => alarms.AcknowledgeForTicketAsync(e.TenantId, e.TicketId, e.AlarmIds, e.Reason, ct);

    // The incident's ticket; else the equipment's open ticket from an alarm; else one of it closed recently.
    private async Task<Ticket?> RecurrenceTicketAsync(EbaDbContext db, Alarm alarm, AlarmIncident? incident, CancellationToken ct)
    {
        if (incident?.TicketId is { } incidentTicket
            && await db.Set<Ticket>().SingleOrDefaultAsync(t => t.TenantId == alarm.TenantId && t.Id == incidentTicket && t.Status != TicketStatus.Closed, ct) is { } ofIncident)
        {
            return ofIncident;
        }

        var ofEquipment = db.Set<Ticket>().Where(t => t.TenantId == alarm.TenantId && t.SiteId == alarm.SiteId && t.DeviceId == alarm.DeviceId && t.AlarmId != null);
        if (await ofEquipment.Where(t => t.Status != TicketStatus.Closed).OrderByDescending(t => t.Id).FirstOrDefaultAsync(ct) is { } open)
        {
            return open;
        }

        var since = time.GetUtcNow() - policy.Value.ReopenWithin;
        return await ofEquipment.Where(t => t.Status == TicketStatus.Closed && t.ClosedUtc >= since).OrderByDescending(t => t.Id).FirstOrDefaultAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Number} opened for alarm {AlarmId} (incident {IncidentId})")]
    private partial void LogOpened(string number, long alarmId, long incidentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alarm {AlarmId} appended to the open ticket {Number} of its equipment")]
    private partial void LogAppended(string number, long alarmId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Number} reopened by the recurrence alarm {AlarmId}")]
    private partial void LogReopened(string number, long alarmId);
}

/// <summary>
/// Opens the tickets of alarms that the policy's <see cref="TicketPolicyOptions.MinimumDuration"/> held back once they
/// have been active long enough; every few seconds on the <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class TicketsFromAlarmsSweep(IDbContextFactory<EbaDbContext> dbFactory, IServiceScopeFactory scopes, IOptions<TicketPolicyOptions> policy, TimeProvider time, ILogger<TicketsFromAlarmsSweep> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (policy.Value.MinimumDuration <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow() - policy.Value.MinimumDuration;
        List<(string TenantId, long Id)> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = (await db.Set<Alarm>().Where(a => a.TicketId == null && a.ClearedUtc == null && a.SuppressedBy == null && !a.OutOfService && a.RaisedUtc <= before)
                .Select(a => new { a.TenantId, a.Id }).Take(500).ToListAsync(ct)).ConvertAll(a => (a.TenantId, a.Id));
        }

        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<TicketsFromAlarms>();
        foreach (var (tenantId, id) in due)
        {
            await handler.TicketForAsync(tenantId, id, ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Opening the tickets of alarms held back by the policy's minimum duration failed; trying again in 5 seconds")]
    private partial void LogFailed(Exception ex);
}

public static class TicketsFromAlarmsServiceCollectionExtensions
{
    /// <summary>The alarm → ticket policy: handlers of alarm and ticket events, and the sweep for the minimum duration.</summary>
    public static IServiceCollection AddTicketsFromAlarms(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TicketPolicyOptions, TicketPolicyOptionsValidator>(configuration, TicketPolicyOptions.SectionName);
        services.AddDomainEventHandler<AlarmRaised, TicketsFromAlarms>();
        services.AddDomainEventHandler<AlarmCleared, TicketsFromAlarms>();
        services.AddDomainEventHandler<TicketClosed, TicketsFromAlarms>();
        services.AddHostedService<TicketsFromAlarmsSweep>();
        return services;
    }
}
