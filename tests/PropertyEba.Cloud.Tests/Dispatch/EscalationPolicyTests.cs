using PropertyEba.Cloud.Dispatch;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Dispatch;

public sealed class EscalationPolicyTests
{
    private static readonly DateTimeOffset Dispatched = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private static readonly DispatchOptions Options = new() { RemindEvery = TimeSpan.FromMinutes(2), SupervisorAfter = TimeSpan.Zero, ManagerAfter = TimeSpan.FromMinutes(10) };

    // An emergency dispatched at 03:00: accept within 1 minute, on site within 3 minutes of opening (02:59:30).
    private static TicketClock Waiting(int level = 0, bool acceptBreached = false, bool onSiteBreached = false, DateTimeOffset? notified = null) => new(
        TicketStatus.Dispatched, "wang", Dispatched, Dispatched.AddMinutes(1), Dispatched.AddMinutes(2.5), notified ?? Dispatched, level, acceptBreached, onSiteBreached);

    [Fact]
    public void Nothing_is_due_before_the_time_to_accept() =>
        EscalationPolicy.Due(Waiting(), Dispatched.AddSeconds(59), Options).ShouldBeEmpty();

    [Fact]
    public void At_the_accept_deadline_it_is_a_breach_and_the_supervisor_is_told()
    {
        EscalationPolicy.Due(Waiting(), Dispatched.AddMinutes(1), Options)
            .ShouldBe([new EscalationStep.Breach("accept", Dispatched.AddMinutes(1)), new EscalationStep.Escalate(1)]);
    }

    [Fact]
    public void A_breach_or_escalation_already_recorded_is_not_repeated()
    {
        EscalationPolicy.Due(Waiting(level: 1, acceptBreached: true), Dispatched.AddMinutes(1.5), Options).ShouldBeEmpty();
    }

    [Fact]
    public void The_on_site_standard_is_breached_at_its_due_time_whether_or_not_accepted()
    {
        var accepted = Waiting(level: 1, acceptBreached: true) with { Status = TicketStatus.Accepted };
        EscalationPolicy.Due(accepted, Dispatched.AddMinutes(2.5), Options).ShouldBe([new EscalationStep.Breach("on-site", Dispatched.AddMinutes(2.5))]);
        EscalationPolicy.Due(accepted with { Status = TicketStatus.OnSite }, Dispatched.AddMinutes(9), Options).ShouldBeEmpty();
    }

    [Fact]
    public void The_assignee_is_reminded_every_interval_until_accepted()
    {
        var t = Waiting(level: 1, acceptBreached: true, onSiteBreached: true);
        EscalationPolicy.Due(t, Dispatched.AddMinutes(2), Options).ShouldBe([new EscalationStep.Remind()]);
        EscalationPolicy.Due(t with { LastNotifiedUtc = Dispatched.AddMinutes(2) }, Dispatched.AddMinutes(3.9), Options).ShouldBeEmpty();
        EscalationPolicy.Due(t with { Status = TicketStatus.Accepted }, Dispatched.AddMinutes(20), Options).ShouldBeEmpty();
    }

    [Fact]
    public void The_manager_is_told_after_the_supervisors_delay()
    {
        var t = Waiting(level: 1, acceptBreached: true, onSiteBreached: true, notified: Dispatched.AddMinutes(11));
        EscalationPolicy.Due(t, Dispatched.AddMinutes(10.9), Options).ShouldBeEmpty();
        EscalationPolicy.Due(t, Dispatched.AddMinutes(11), Options).ShouldBe([new EscalationStep.Escalate(2)]);
    }

    [Fact]
    public void A_check_after_a_long_outage_goes_straight_to_the_manager()
    {
        EscalationPolicy.Due(Waiting(), Dispatched.AddHours(1), Options).ShouldBe([
            new EscalationStep.Breach("accept", Dispatched.AddMinutes(1)), new EscalationStep.Breach("on-site", Dispatched.AddMinutes(2.5)),
            new EscalationStep.Escalate(2), new EscalationStep.Remind()]);
    }
}
