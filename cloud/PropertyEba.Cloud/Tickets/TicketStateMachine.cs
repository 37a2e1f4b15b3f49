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
    public static (TicketStatus? Next, string? Error) Apply(TicketStatus current, string action)
    {
        if (NextStatus(current, action) is { } next)
        {
            return (next, null);
        }

        return Actions.Contains(action)
            ? (null, $"A ticket in status {current} cannot '{action}'; allowed now: {string.Join(", ", Actions.Where(a => NextStatus(current, a) is not null))}.")
            : (null, $"Unknown action '{action}'; allowed: {string.Join(", ", Actions)}.");
    }

    private static TicketStatus? NextStatus(TicketStatus current, string action) => (action, current) switch
    {
        ("dispatch", TicketStatus.Created or TicketStatus.Dispatched or TicketStatus.Accepted) => TicketStatus.Dispatched,
        ("accept", TicketStatus.Dispatched) => TicketStatus.Accepted,
        ("arrive", TicketStatus.Dispatched or TicketStatus.Accepted) => TicketStatus.OnSite,
        ("resolve", TicketStatus.OnSite) => TicketStatus.Resolved,
        ("close", TicketStatus.Resolved) => TicketStatus.Closed,
        ("reopen", TicketStatus.Resolved or TicketStatus.Closed) => TicketStatus.Created,
        _ => null,
    };
}
