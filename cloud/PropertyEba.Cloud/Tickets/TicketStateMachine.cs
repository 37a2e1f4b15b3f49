using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tickets;

/// <summary>
/// Which actions move a ticket from which status to which, and what each action must carry. Pure.
/// created → dispatched → accepted → on site → resolved → callback (回访) → closed; a ticket is closed only after its
/// callback. Reopen sends a finished ticket back (to its technician, or to nobody: an explicit choice); cancel ends
/// an unfinished one with a reason.
/// </summary>
public static class TicketStateMachine
{
    public static readonly IReadOnlyList<string> Actions = ["dispatch", "accept", "arrive", "resolve", "callback", "close", "reopen", "cancel"];

    /// <summary>Satisfaction scores at or below this are "unsatisfied": the reason is required and the supervisor is told.</summary>
    public const int HighestUnsatisfiedScore = 2;

    public const double MaxLabourHours = 1000;

    /// <summary>The status after the action, or an error that says what is allowed.</summary>
    /// <param name="keepAssignee">For reopen: back to the technician (Dispatched) or to nobody (Created).</param>
    public static (TicketStatus? Next, string? Error) Apply(TicketStatus current, string action, bool keepAssignee = false)
    {
        if (NextStatus(current, action, keepAssignee) is { } next)
        {
            return (next, null);
        }

        return Actions.Contains(action)
            ? (null, $"A ticket in status {current} cannot '{action}'; allowed now: {string.Join(", ", AllowedNow(current))}.")
            : (null, $"Unknown action '{action}'; allowed: {string.Join(", ", Actions)}.");
    }

    /// <summary>The actions a ticket in this status accepts.</summary>
    public static IEnumerable<string> AllowedNow(TicketStatus current) => Actions.Where(a => NextStatus(current, a, keepAssignee: false) is not null);

    /// <summary>Whether the ticket still needs work (counts as open in lists and reports).</summary>
    public static bool IsOpen(TicketStatus status) => status is not (TicketStatus.Closed or TicketStatus.Cancelled);

    /// <summary>What the request lacks or has wrong for its action; null when it carries what the action needs.</summary>
    public static string? Validate(TicketActionRequest request, string? currentAssignee)
    {
        switch (request.Action)
        {
            case "dispatch" when string.IsNullOrWhiteSpace(request.Technician):
                return "'dispatch' needs 'technician': who the ticket goes to.";
            case "resolve":
                if (string.IsNullOrWhiteSpace(request.Cause) || string.IsNullOrWhiteSpace(request.Remedy))
                {
                    return "'resolve' needs 'cause' (what caused the fault) and 'remedy' (what was done).";
                }

                if (request.LabourHours is not (>= 0 and <= MaxLabourHours))
                {
                    return $"'resolve' needs 'labourHours' from 0 to {MaxLabourHours}.";
                }

                if (request.Parts?.FirstOrDefault(p => string.IsNullOrWhiteSpace(p.Name) || p.Quantity is not (> 0 and < 1_000_000)) is { } bad)
                {
                    return $"Part '{bad.Name}' × {bad.Quantity}: each part needs a name and a quantity above 0.";
                }

                return null;
            case "callback":
                if (request.Satisfaction is not (>= 1 and <= 5))
                {
                    return "'callback' needs 'satisfaction' from 1 (very unsatisfied) to 5 (very satisfied).";
                }

                return request.Satisfaction <= HighestUnsatisfiedScore && string.IsNullOrWhiteSpace(request.Note)
                    ? $"An unsatisfied callback (satisfaction {request.Satisfaction}) needs 'note': the reason the caller gave."
                    : null;
            case "reopen" when request.KeepAssignee is null:
                return "'reopen' needs 'keepAssignee': true to send it back to the same technician, false to clear the assignee.";
            case "reopen" when request.KeepAssignee == true && string.IsNullOrWhiteSpace(currentAssignee):
                return "'reopen' with keepAssignee=true needs an assignee, and this ticket has none; use keepAssignee=false.";
            case "cancel" when string.IsNullOrWhiteSpace(request.Note):
                return "'cancel' needs 'note': the reason the ticket is cancelled.";
        }

        return null;
    }

    private static TicketStatus? NextStatus(TicketStatus current, string action, bool keepAssignee) => (action, current) switch
    {
        ("dispatch", TicketStatus.Created or TicketStatus.Dispatched or TicketStatus.Accepted) => TicketStatus.Dispatched,
        ("accept", TicketStatus.Dispatched) => TicketStatus.Accepted,
        ("arrive", TicketStatus.Dispatched or TicketStatus.Accepted) => TicketStatus.OnSite,
        ("resolve", TicketStatus.OnSite) => TicketStatus.Resolved,
        ("callback", TicketStatus.Resolved) => TicketStatus.CalledBack,
        ("close", TicketStatus.CalledBack) => TicketStatus.Closed,
        ("reopen", TicketStatus.Resolved or TicketStatus.CalledBack or TicketStatus.Closed) => keepAssignee ? TicketStatus.Dispatched : TicketStatus.Created,
        ("cancel", TicketStatus.Created or TicketStatus.Dispatched or TicketStatus.Accepted or TicketStatus.OnSite) => TicketStatus.Cancelled,
        _ => null,
    };
}
