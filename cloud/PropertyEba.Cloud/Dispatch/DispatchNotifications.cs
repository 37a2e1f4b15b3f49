using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Notifications;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Dispatch;

/// <summary>
/// Tells people about their tickets through <see cref="INotifier"/>: the assignee when a ticket is assigned, the next
/// one up the chain when it escalates, the team's supervisor when a callback is unsatisfied. Recipients are user
/// names of the tenant; a name that is no user (a free-text technician typed at dispatch) is logged and skipped.
/// </summary>
public sealed partial class DispatchNotifications(IDbContextFactory<EbaDbContext> dbFactory, INotifier notifier, ILogger<DispatchNotifications> logger)
    : IDomainEventHandler<TicketAssigned>, IDomainEventHandler<TicketEscalated>, IDomainEventHandler<TicketCalledBack>
{
    public const string Link = "/technician";

    public Task HandleAsync(TicketAssigned e, CancellationToken ct)
    {
        var text = MessageCatalog.Ticket(MessageIds.TicketAssigned, ("number", e.Number), ("site", e.SiteId));
        return NotifyAsync(e.TenantId, e.Assignee, "ticket.assigned", text, e.TicketId, ct);
    }

    public async Task HandleAsync(TicketEscalated e, CancellationToken ct)
    {
        var number = await NumberAsync(e.TenantId, e.TicketId, ct);
        var text = MessageCatalog.Ticket(MessageIds.TicketEscalated, ("number", number), ("assignee", e.Assignee ?? "-"));
        await NotifyAsync(e.TenantId, e.Recipient, "ticket.escalated", text, e.TicketId, ct);
    }

    public async Task HandleAsync(TicketCalledBack e, CancellationToken ct)
    {
        if (!e.Unsatisfied)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticket = await db.Set<Ticket>().SingleOrDefaultAsync(t => t.TenantId == e.TenantId && t.Id == e.TicketId, ct);
        var supervisor = ticket?.TeamId is { } teamId
            ? await db.Set<Team>().Where(t => t.TenantId == e.TenantId && t.TeamId == teamId).Select(t => t.Supervisor).SingleOrDefaultAsync(ct)
            : null;
        if (ticket is null || supervisor is null)
        {
            LogNoSupervisor(e.TicketId, e.TenantId);
            return;
        }

        var text = MessageCatalog.Ticket(MessageIds.TicketUnsatisfied, ("number", ticket.Number), ("reason", e.Reason ?? "-"));
        await NotifyAsync(e.TenantId, supervisor, "ticket.unsatisfied", text, e.TicketId, ct);
    }

    /// <summary>A reminder to the assignee (from the dispatch clock).</summary>
    internal Task RemindAsync(string tenantId, string assignee, long ticketId, string number, CancellationToken ct) =>
        NotifyAsync(tenantId, assignee, "ticket.reminder", MessageCatalog.Ticket(MessageIds.TicketReminder, ("number", number)), ticketId, ct);

    private async Task<string> NumberAsync(string tenantId, long ticketId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Ticket>().Where(t => t.TenantId == tenantId && t.Id == ticketId).Select(t => t.Number).SingleOrDefaultAsync(ct) ?? $"#{ticketId}";
    }

    private async Task NotifyAsync(string tenantId, string userName, string kind, LocalizedText text, long ticketId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var userId = await db.Users.Where(u => u.TenantId == tenantId && u.UserName == userName).Select(u => u.Id).SingleOrDefaultAsync(ct);
        if (userId is null)
        {
            LogNoUser(kind, ticketId, tenantId, userName);
            return;
        }

        await notifier.NotifyAsync(new NotificationRequest(tenantId, userId, kind, text, text, ticketId, Link), ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} for ticket {TicketId} of {TenantId} not sent: '{UserName}' is no user of the tenant")]
    private partial void LogNoUser(string kind, long ticketId, string tenantId, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unsatisfied callback on ticket {TicketId} of {TenantId}: its team has no supervisor to tell")]
    private partial void LogNoSupervisor(long ticketId, string tenantId);
}
