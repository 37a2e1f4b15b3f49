using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Dispatch;

/// <summary>What the escalation policy needs to know about a ticket.</summary>
public sealed record TicketClock(
    TicketStatus Status, string? Assignee, DateTimeOffset? DispatchedUtc, DateTimeOffset? AcceptDueUtc, DateTimeOffset OnSiteDueUtc,
    DateTimeOffset? LastNotifiedUtc, int EscalationLevel, bool AcceptBreached, bool OnSiteBreached);

/// <summary>One thing due for a ticket now.</summary>
public abstract record EscalationStep
{
    public sealed record Breach(string Standard, DateTimeOffset DueUtc) : EscalationStep;

    /// <summary>Tell the assignee again (not accepted yet).</summary>
    public sealed record Remind : EscalationStep;

    /// <summary>Up the chain: 1 = supervisor, 2 = manager.</summary>
    public sealed record Escalate(int Level) : EscalationStep;
}

/// <summary>
/// What is due for a ticket at an instant. Pure, so every delay is tested on a fake clock; the <see cref="DispatchClock"/>
/// applies the steps and records them on the ticket (breach flags, level, last notified), so each happens once and a
/// restart loses none (the state is in the database, not in a timer).
/// </summary>
public static class EscalationPolicy
{
    public static IReadOnlyList<EscalationStep> Due(TicketClock t, DateTimeOffset now, DispatchOptions o)
    {
        var steps = new List<EscalationStep>();
        var waitingForAccept = t.Status == TicketStatus.Dispatched && t.Assignee is not null;
        if (waitingForAccept && t.AcceptDueUtc is { } acceptDue && now >= acceptDue && !t.AcceptBreached)
        {
            steps.Add(new EscalationStep.Breach("accept", acceptDue));
        }

        if (t.Status is TicketStatus.Created or TicketStatus.Dispatched or TicketStatus.Accepted && now >= t.OnSiteDueUtc && !t.OnSiteBreached)
        {
            steps.Add(new EscalationStep.Breach("on-site", t.OnSiteDueUtc));
        }

        if (!waitingForAccept || t.AcceptDueUtc is not { } due)
        {
            return steps;
        }

        // Technician → supervisor when the time to accept is up (plus SupervisorAfter), → manager ManagerAfter later.
        var level = now >= due + o.SupervisorAfter + o.ManagerAfter ? 2 : now >= due + o.SupervisorAfter ? 1 : 0;
        if (level > t.EscalationLevel)
        {
            steps.Add(new EscalationStep.Escalate(level));
        }

        if (now >= (t.LastNotifiedUtc ?? t.DispatchedUtc ?? now) + o.RemindEvery)
        {
            steps.Add(new EscalationStep.Remind());
        }

        return steps;
    }
}
