using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Tickets;

/// <summary>Opens tickets (by alarm or by person), moves them through their life, and keeps the audit trail.</summary>
public sealed partial class TicketService(
    IDbContextFactory<EbaDbContext> dbFactory,
    ITicketTimeStandards standards,
    TimeProvider time,
    LiveEvents live,
    AuditTrail audit,
    CallerAccessor callers,
    ILogger<TicketService> logger)
{
    public async Task<Ticket> OpenAsync(string tenantId, string siteId, string? deviceId, long? alarmId, LocalizedText title, Severity priority, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await AddAsync(db, tenantId, siteId, deviceId, alarmId, title, priority, cancellationToken);
        Announce(ticket);
        return ticket;
    }

    /// <summary>
    /// Creates a ticket inside the caller's context, so it can share the caller's transaction (an alarm
    /// and the ticket it opens become visible together). Call <see cref="Announce"/> after committing.
    /// </summary>
    internal async Task<Ticket> AddAsync(
        EbaDbContext db, string tenantId, string siteId, string? deviceId, long? alarmId, LocalizedText title, Severity priority, CancellationToken cancellationToken,
        TicketSource source = TicketSource.Alarm, string? description = null, DateTimeOffset? scheduledForUtc = null, string? skill = null)
    {
        var now = time.GetUtcNow();
        var standard = await standards.ForAsync(db, tenantId, priority, cancellationToken);
        var ticket = new Ticket
        {
            Source = source,
            Description = description,
            ScheduledForUtc = scheduledForUtc,
            Skill = skill,
            TenantId = tenantId,
            SiteId = siteId,
            DeviceId = deviceId,
            AlarmId = alarmId,
            Title = title,
            Priority = priority,
            Status = TicketStatus.Created,
            CreatedUtc = now,
            // A scheduled ticket's standard is the agreed time; the others' the tenant's standard for the priority.
            OnSiteDueUtc = scheduledForUtc ?? now + standard.OnSite,
        };
        db.Add(ticket);
        await db.SaveChangesAsync(cancellationToken);
        ticket.Number = string.Create(CultureInfo.InvariantCulture, $"WO-{now:yyyyMMdd}-{ticket.Id:D5}");
        db.Add(new TicketEvent { TicketId = ticket.Id, TenantId = tenantId, Action = "open", From = TicketStatus.Created, To = TicketStatus.Created, By = ActorName(), AtUtc = now });
        db.AddDomainEvent(new TicketOpened(tenantId, ticket.Id, ticket.Number, siteId, deviceId, alarmId, priority, source, skill, now));
        audit.Record(db, tenantId, "ticket.open", $"ticket/{ticket.Number}", new { siteId, deviceId, alarmId, priority = priority.ToString(), source = source.ToString(), scheduledForUtc });
        await db.SaveChangesAsync(cancellationToken);
        return ticket;
    }

    /// <summary>Logs a stored ticket. The live feed pushes it from its <see cref="TicketOpened"/> event (<see cref="TicketLiveFeed"/>).</summary>
    internal void Announce(Ticket ticket) =>
        LogOpened(ticket.Number, ticket.TenantId, ticket.SiteId, ticket.Priority.ToString(), ticket.OnSiteDueUtc);

    /// <summary>Pushes the ticket as it is now to its tenant's live group (from the ticket events).</summary>
    internal async Task PublishLiveAsync(string tenantId, long ticketId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<Ticket>().SingleOrDefaultAsync(t => t.TenantId == tenantId && t.Id == ticketId, cancellationToken) is { } ticket)
        {
            live.PublishTicket(ticket.ToDto(time.GetUtcNow()));
        }
    }

    /// <summary>A ticket opened by a person at the reception desk, or for a schedule at an agreed time.</summary>
    public async Task<Ticket> CreateAsync(string tenantId, CreateTicketRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await AddAsync(
            db, tenantId, request.SiteId, request.DeviceId, alarmId: null, MessageCatalog.Typed(request.Title), request.Priority, cancellationToken,
            request.ScheduledForUtc is null ? TicketSource.Desk : TicketSource.Schedule, request.Description, request.ScheduledForUtc, request.Skill);
        Announce(ticket);
        return ticket;
    }

    /// <summary>Applies an action; returns the ticket, or an error that says why not (unknown ticket → null, null).</summary>
    /// <param name="teamId">For dispatch by routing: the team it went to (its supervisor and manager are the escalation chain).</param>
    public async Task<(TicketDto? Ticket, string? Error)> ApplyAsync(
        string tenantId, long ticketId, TicketActionRequest request, CancellationToken cancellationToken, string? teamId = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Set<Ticket>().SingleOrDefaultAsync(t => t.TenantId == tenantId && t.Id == ticketId, cancellationToken);
        if (ticket is null)
        {
            return (null, null);
        }

        var (next, error) = TicketStateMachine.Apply(ticket.Status, request.Action, request.KeepAssignee ?? false);
        if (next is null)
        {
            return (null, error);
        }

        if (TicketStateMachine.Validate(request, ticket.AssignedTo) is { } invalid)
        {
            return (null, invalid);
        }

        var now = time.GetUtcNow();
        var from = ticket.Status;
        var previousAssignee = ticket.AssignedTo;
        ticket.Status = next.Value;
        switch (request.Action)
        {
            case "dispatch":
                ticket.AssignedTo = request.Technician!.Trim();
                ticket.TeamId = teamId ?? ticket.TeamId;
                ticket.EscalationLevel = 0;
                await StartAcceptClockAsync(db, ticket, now, cancellationToken);
                break;
            case "accept": ticket.AcceptedUtc = now; break;
            case "arrive": ticket.OnSiteUtc = now; break;
            case "resolve":
                ticket.ResolvedUtc = now;
                ticket.Cause = request.Cause!.Trim();
                ticket.Remedy = request.Remedy!.Trim();
                ticket.LabourHours = request.LabourHours;
                ticket.Parts = request.Parts?.Select(p => p with { Name = p.Name.Trim() }).ToList() ?? [];
                break;
            case "callback":
                ticket.CalledBackUtc = now;
                ticket.Satisfaction = request.Satisfaction;
                ticket.UnsatisfiedReason = request.Satisfaction <= TicketStateMachine.HighestUnsatisfiedScore ? request.Note!.Trim() : null;
                break;
            case "close": ticket.ClosedUtc = now; break;
            case "cancel":
                ticket.CancelledUtc = now;
                ticket.CancelReason = request.Note!.Trim();
                break;
            case "reopen":
                // The repair starts over: its results and times go; the assignee stays only when the caller said so.
                ticket.ResolvedUtc = null;
                ticket.CalledBackUtc = null;
                ticket.ClosedUtc = null;
                ticket.Satisfaction = null;
                ticket.UnsatisfiedReason = null;
                ticket.AcceptedUtc = null;
                ticket.OnSiteUtc = null;
                ticket.EscalationLevel = 0;
                if (request.KeepAssignee == true)
                {
                    await StartAcceptClockAsync(db, ticket, now, cancellationToken);
                }
                else
                {
                    ticket.AssignedTo = null;
                    ticket.DispatchedUtc = null;
                    ticket.AcceptDueUtc = null;
                }

                break;
        }

        var actor = ActorName();
        db.Add(new TicketEvent { TicketId = ticket.Id, TenantId = tenantId, Action = request.Action, From = from, To = ticket.Status, By = actor, Note = request.Note, AtUtc = now });
        Emit(db, ticket, request, from, previousAssignee, actor, now);
        audit.Record(db, tenantId, $"ticket.{request.Action}", $"ticket/{ticket.Number}", new
        {
            from = from.ToString(), to = ticket.Status.ToString(), request.Technician, request.Note, previousAssignee, assignee = ticket.AssignedTo,
            request.Cause, request.Remedy, request.LabourHours, request.Satisfaction, request.KeepAssignee,
        });
        await db.SaveChangesAsync(cancellationToken);
        LogTransition(ticket.Number, request.Action, from.ToString(), ticket.Status.ToString(), ticket.AssignedTo);
        return (ticket.ToDto(now), null);
    }

    // The events of one transition, in the ticket change's transaction.
    private static void Emit(EbaDbContext db, Ticket ticket, TicketActionRequest request, TicketStatus from, string? previousAssignee, string actor, DateTimeOffset now)
    {
        db.AddDomainEvent(new TicketStatusChanged(ticket.TenantId, ticket.Id, request.Action, from, ticket.Status, actor, now));
        if (ticket.Status == TicketStatus.Dispatched && ticket.AssignedTo is { } assignee)
        {
            db.AddDomainEvent(new TicketAssigned(
                ticket.TenantId, ticket.Id, ticket.Number, ticket.SiteId, ticket.Priority, assignee, previousAssignee, ticket.AcceptDueUtc, ticket.OnSiteDueUtc, now));
        }

        switch (request.Action)
        {
            case "callback":
                db.AddDomainEvent(new TicketCalledBack(
                    ticket.TenantId, ticket.Id, ticket.Satisfaction!.Value, ticket.UnsatisfiedReason is not null, ticket.UnsatisfiedReason, ticket.AssignedTo, now));
                break;
            case "close" or "cancel":
                db.AddDomainEvent(new TicketClosed(
                    ticket.TenantId, ticket.Id, ticket.AlarmId is { } alarm ? [alarm] : [],
                    request.Action == "cancel" ? $"Ticket {ticket.Number} cancelled: {ticket.CancelReason}" : request.Note ?? $"Ticket {ticket.Number} closed", now));
                break;
        }
    }

    // Each dispatch (a reassignment too) gives the new assignee the full time to accept.
    private async Task StartAcceptClockAsync(EbaDbContext db, Ticket ticket, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var standard = await standards.ForAsync(db, ticket.TenantId, ticket.Priority, cancellationToken);
        ticket.DispatchedUtc = now;
        ticket.LastNotifiedUtc = now;
        ticket.AcceptBreached = false;
        ticket.AcceptedUtc = null;
        ticket.AcceptDueUtc = now + standard.Accept;
    }

    public async Task<IReadOnlyList<TicketDto>> ListAsync(string tenantId, bool openOnly, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<Ticket>().Where(t => t.TenantId == tenantId);
        if (openOnly)
        {
            query = query.Where(t => t.Status != TicketStatus.Closed && t.Status != TicketStatus.Cancelled);
        }

        var now = time.GetUtcNow();
        var rows = await query.OrderByDescending(t => t.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.ConvertAll(t => t.ToDto(now));
    }

    public async Task<TicketDto?> GetAsync(string tenantId, long ticketId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Set<Ticket>().SingleOrDefaultAsync(t => t.TenantId == tenantId && t.Id == ticketId, cancellationToken);
        return ticket?.ToDto(time.GetUtcNow());
    }

    // Who acted comes from the caller's claims, never from the request: the technician in a request is the assignee.
    private string ActorName() => callers.Current is { IsAuthenticated: true } caller ? caller.UserName : AuditTrail.SystemUser;

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Number}: {Action} from {From} to {To}, assignee {Assignee}")]
    private partial void LogTransition(string number, string action, string from, string to, string? assignee);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Number} opened for {TenantId}/{SiteId}, priority {Priority}, on site due {OnSiteDueUtc:u}")]
    private partial void LogOpened(string number, string tenantId, string siteId, string priority, DateTimeOffset onSiteDueUtc);
}
