using PropertyEba.Cloud.Events;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tickets;

// The ticket's domain events (seam of issue 16): written to the outbox in the same transaction as the ticket change,
// handled by dispatch (routing, notifications, escalation), the live feed and the alarms (closing acknowledges).

/// <summary>A ticket was opened (by an alarm, the desk or a schedule).</summary>
public sealed record TicketOpened(
    string TenantId, long TicketId, string Number, string SiteId, string? DeviceId, long? AlarmId, Severity Priority, TicketSource Source,
    string? Skill, DateTimeOffset At) : IDomainEvent;

/// <summary>Any transition; <c>ActorUserId</c> is the user name of who acted (<c>system</c> for automatic ones).</summary>
public sealed record TicketStatusChanged(
    string TenantId, long TicketId, string Action, TicketStatus From, TicketStatus To, string ActorUserId, DateTimeOffset At) : IDomainEvent;

/// <summary>The ticket went to a technician (a dispatch, a reassignment, a reopen that kept the assignee).</summary>
public sealed record TicketAssigned(
    string TenantId, long TicketId, string Number, string SiteId, Severity Priority, string Assignee, string? PreviousAssignee,
    DateTimeOffset? AcceptDueUtc, DateTimeOffset OnSiteDueUtc, DateTimeOffset At) : IDomainEvent;

/// <summary>Nobody accepted in time: the ticket went one step up the chain (1 = supervisor, 2 = manager).</summary>
public sealed record TicketEscalated(string TenantId, long TicketId, int Level, string Recipient, string? Assignee, DateTimeOffset At) : IDomainEvent;

/// <summary>A time standard was missed: <c>Standard</c> is <c>accept</c> or <c>on-site</c>.</summary>
public sealed record TimeStandardBreached(
    string TenantId, long TicketId, string Standard, Severity Priority, DateTimeOffset DueUtc, string? Assignee, DateTimeOffset At) : IDomainEvent;

/// <summary>The callback (回访) was recorded; unsatisfied when the score is 1 or 2 (the supervisor is told).</summary>
public sealed record TicketCalledBack(string TenantId, long TicketId, int Satisfaction, bool Unsatisfied, string? Reason, string? Assignee, DateTimeOffset At) : IDomainEvent;

/// <summary>The ticket is finished (closed after its callback, or cancelled): its alarms are acknowledged with the reason.</summary>
public sealed record TicketClosed(string TenantId, long TicketId, IReadOnlyList<long> AlarmIds, string Reason, DateTimeOffset At) : IDomainEvent;

/// <summary>The live feed's side of the ticket events: it pushes the ticket as it now is to the tenant's hub group.</summary>
internal sealed class TicketLiveFeed(TicketService tickets) :
    IDomainEventHandler<TicketOpened>, IDomainEventHandler<TicketStatusChanged>, IDomainEventHandler<TicketEscalated>
{
    public Task HandleAsync(TicketOpened e, CancellationToken ct) => tickets.PublishLiveAsync(e.TenantId, e.TicketId, ct);

    public Task HandleAsync(TicketStatusChanged e, CancellationToken ct) => tickets.PublishLiveAsync(e.TenantId, e.TicketId, ct);

    public Task HandleAsync(TicketEscalated e, CancellationToken ct) => tickets.PublishLiveAsync(e.TenantId, e.TicketId, ct);
}
