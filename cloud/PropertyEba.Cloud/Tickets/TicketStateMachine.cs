using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tickets;

/// <summary>
/// Which actions move a ticket from which status to which. Pure. A ticket is closed only after its
/// callback (回访), so "close" is allowed from Resolved only.
/// </summary>
public static class TicketStateMachine
{
    public static readonly IReadOnlyList<string> Actions = ["dispatch", "accept", "arrive", "resolve", "close", "reopen"];

    /// <summary>The status after the action, or an error that says what is allowed.</summary>
    public static (TicketStatus? Next, string? Error) Apply(TicketStatus current, string action) => (action, current) switch
    {
        ("dispatch", TicketStatus.Created or TicketStatus.Dispatched or TicketStatus.Accepted) => (TicketStatus.Dispatched, null),
        ("accept", TicketStatus.Dispatched) => (TicketStatus.Accepted, null),
        ("arrive", TicketStatus.Dispatched or TicketStatus.Accepted) => (TicketStatus.OnSite, null),
        ("resolve", TicketStatus.OnSite) => (TicketStatus.Resolved, null),
        ("close", TicketStatus.Resolved) => (TicketStatus.Closed, null),
        ("reopen", TicketStatus.Resolved or TicketStatus.Closed) => (TicketStatus.Created, null),
        _ when !Actions.Contains(action) => (null, $"Unknown action '{action}'; allowed: {string.Join(", ", Actions)}."),
        _ => (null, $"A ticket in status {current} cannot '{action}'; allowed now: {string.Join(", ", Actions.Where(a => Apply(current, a).Next is not null))}."),
    };
}
