using PropertyEba.Cloud.Events;

namespace PropertyEba.Cloud.Tickets;

// Ticket events (owned by "dispatch", seam16.md). Only TicketClosed is defined here so far, because alarms handle it:
// closing a ticket acknowledges its alarms with the reason.

/// <summary>A ticket was closed; <paramref name="AlarmIds"/> are its alarms, <paramref name="Reason"/> why it was closed.</summary>
public sealed record TicketClosed(string TenantId, long TicketId, IReadOnlyList<long> AlarmIds, string? Reason) : IDomainEvent;
