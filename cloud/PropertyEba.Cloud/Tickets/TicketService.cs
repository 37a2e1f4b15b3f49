using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Tickets;

/// <summary>Opens tickets (by alarm or by person), moves them through their life, and keeps the audit trail.</summary>
public sealed partial class TicketService(
    IDbContextFactory<EbaDbContext> dbFactory,
    IOptions<TicketOptions> options,
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
    internal async Task<Ticket> AddAsync(EbaDbContext db, string tenantId, string siteId, string? deviceId, long? alarmId, LocalizedText title, Severity priority, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ticket = new Ticket
        {
            TenantId = tenantId,
            SiteId = siteId,
            DeviceId = deviceId,
            AlarmId = alarmId,
            Title = title,
            Priority = priority,
            Status = TicketStatus.Created,
            CreatedUtc = now,
            OnSiteDueUtc = now + options.Value.OnSiteStandard(priority),
        };
        db.Add(ticket);
        await db.SaveChangesAsync(cancellationToken);
        ticket.Number = string.Create(CultureInfo.InvariantCulture, $"WO-{now:yyyyMMdd}-{ticket.Id:D5}");
        db.Add(new TicketEvent { TicketId = ticket.Id, TenantId = tenantId, Action = "open", From = TicketStatus.Created, To = TicketStatus.Created, By = ActorName(), AtUtc = now });
        audit.Record(db, tenantId, "ticket.open", $"ticket/{ticket.Number}", new { siteId, deviceId, alarmId, priority = priority.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        return ticket;
    }

    /// <summary>Logs a stored ticket and pushes it live.</summary>
    internal void Announce(Ticket ticket)
    {
        LogOpened(ticket.Number, ticket.TenantId, ticket.SiteId, ticket.Priority.ToString(), ticket.OnSiteDueUtc);
        live.PublishTicket(ticket.ToDto(time.GetUtcNow()));
    }

    /// <summary>Applies an action; returns the ticket, or an error that says why not (unknown ticket → null, null).</summary>
    public async Task<(TicketDto? Ticket, string? Error)> ApplyAsync(string tenantId, long ticketId, TicketActionRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Set<Ticket>().SingleOrDefaultAsync(t => t.TenantId == tenantId && t.Id == ticketId, cancellationToken);
        if (ticket is null)
        {
            return (null, null);
        }

        var (next, error) = TicketStateMachine.Apply(ticket.Status, request.Action);
        if (next is null)
        {
            return (null, error);
        }

        if (request.Action == "dispatch" && string.IsNullOrWhiteSpace(request.Technician))
        {
            return (null, "'dispatch' needs 'technician': who the ticket goes to.");
        }

        var now = time.GetUtcNow();
        var from = ticket.Status;
        ticket.Status = next.Value;
        switch (request.Action)
        {
            case "dispatch": ticket.AssignedTo = request.Technician; break;
            case "arrive": ticket.OnSiteUtc = now; break;
            case "resolve": ticket.ResolvedUtc = now; break;
            case "close": ticket.ClosedUtc = now; break;
            case "reopen":
                ticket.ResolvedUtc = null;
                ticket.ClosedUtc = null;
                break;
        }

        db.Add(new TicketEvent { TicketId = ticket.Id, TenantId = tenantId, Action = request.Action, From = from, To = ticket.Status, By = ActorName(), Note = request.Note, AtUtc = now });
        audit.Record(db, tenantId, $"ticket.{request.Action}", $"ticket/{ticket.Number}", new { from = from.ToString(), to = ticket.Status.ToString(), request.Technician, request.Note });
        await db.SaveChangesAsync(cancellationToken);
        var dto = ticket.ToDto(now);
        live.PublishTicket(dto);
        return (dto, null);
    }

    public async Task<IReadOnlyList<TicketDto>> ListAsync(string tenantId, bool openOnly, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<Ticket>().Where(t => t.TenantId == tenantId);
        if (openOnly)
        {
            query = query.Where(t => t.Status != TicketStatus.Closed);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Number} opened for {TenantId}/{SiteId}, priority {Priority}, on site due {OnSiteDueUtc:u}")]
    private partial void LogOpened(string number, string tenantId, string siteId, string priority, DateTimeOffset onSiteDueUtc);
}
