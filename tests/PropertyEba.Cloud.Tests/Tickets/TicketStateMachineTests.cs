using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Tickets;

public sealed class TicketStateMachineTests
{
    [Theory]
    [InlineData(TicketStatus.Created, "dispatch", TicketStatus.Dispatched)]
    [InlineData(TicketStatus.Accepted, "dispatch", TicketStatus.Dispatched)]
    [InlineData(TicketStatus.Dispatched, "accept", TicketStatus.Accepted)]
    [InlineData(TicketStatus.Accepted, "arrive", TicketStatus.OnSite)]
    [InlineData(TicketStatus.Dispatched, "arrive", TicketStatus.OnSite)]
    [InlineData(TicketStatus.OnSite, "resolve", TicketStatus.Resolved)]
    [InlineData(TicketStatus.Resolved, "callback", TicketStatus.CalledBack)]
    [InlineData(TicketStatus.CalledBack, "close", TicketStatus.Closed)]
    [InlineData(TicketStatus.Closed, "reopen", TicketStatus.Created)]
    [InlineData(TicketStatus.Resolved, "reopen", TicketStatus.Created)]
    [InlineData(TicketStatus.Created, "cancel", TicketStatus.Cancelled)]
    [InlineData(TicketStatus.OnSite, "cancel", TicketStatus.Cancelled)]
    public void Allowed_action_moves_the_ticket_on(TicketStatus from, string action, TicketStatus to) =>
        TicketStateMachine.Apply(from, action).Next.ShouldBe(to);

    [Fact]
    public void Reopen_keeping_the_assignee_goes_back_to_dispatched_and_clearing_it_to_created()
    {
        TicketStateMachine.Apply(TicketStatus.CalledBack, "reopen", keepAssignee: true).Next.ShouldBe(TicketStatus.Dispatched);
        TicketStateMachine.Apply(TicketStatus.CalledBack, "reopen", keepAssignee: false).Next.ShouldBe(TicketStatus.Created);
    }

    [Theory]
    [InlineData(TicketStatus.OnSite, "close")]
    [InlineData(TicketStatus.Resolved, "close")]
    [InlineData(TicketStatus.Closed, "cancel")]
    [InlineData(TicketStatus.Cancelled, "reopen")]
    [InlineData(TicketStatus.Cancelled, "dispatch")]
    [InlineData(TicketStatus.Created, "callback")]
    public void Out_of_order_action_is_refused_with_what_is_allowed(TicketStatus from, string action)
    {
        var (next, error) = TicketStateMachine.Apply(from, action);
        next.ShouldBeNull();
        error.ShouldNotBeNull();
        error.ShouldContain($"cannot '{action}'");
        error.ShouldContain("allowed now:");
    }

    [Fact]
    public void Closing_before_the_callback_names_the_callback_as_what_is_allowed() =>
        TicketStateMachine.Apply(TicketStatus.Resolved, "close").Error!.ShouldContain("callback");

    [Fact]
    public void Unknown_action_names_the_known_ones()
    {
        var (_, error) = TicketStateMachine.Apply(TicketStatus.Created, "teleport");
        error!.ShouldContain("dispatch, accept, arrive, resolve, callback, close, reopen, cancel");
    }

    [Fact]
    public void Only_closed_and_cancelled_tickets_are_not_open()
    {
        Enum.GetValues<TicketStatus>().Where(s => !TicketStateMachine.IsOpen(s)).ShouldBe([TicketStatus.Closed, TicketStatus.Cancelled]);
    }

    [Theory]
    [InlineData("resolve", null, "Replaced", 1.0, "'cause'")]
    [InlineData("resolve", "Worn", null, 1.0, "'remedy'")]
    [InlineData("resolve", "Worn", "Replaced", null, "'labourHours'")]
    [InlineData("resolve", "Worn", "Replaced", -1.0, "'labourHours'")]
    [InlineData("resolve", "Worn", "Replaced", 1001.0, "'labourHours'")]
    public void Resolve_needs_cause_remedy_and_labour_hours(string action, string? cause, string? remedy, double? hours, string named) =>
        TicketStateMachine.Validate(new TicketActionRequest(action, Cause: cause, Remedy: remedy, LabourHours: hours), "张师傅")!.ShouldContain(named);

    [Fact]
    public void Resolve_refuses_a_part_without_a_name_or_quantity()
    {
        TicketStateMachine.Validate(new TicketActionRequest("resolve", Cause: "c", Remedy: "r", LabourHours: 1, Parts: [new PartUsed("Bearing 6204", 0)]), null)!
            .ShouldContain("Bearing 6204");
        TicketStateMachine.Validate(new TicketActionRequest("resolve", Cause: "c", Remedy: "r", LabourHours: 0, Parts: [new PartUsed("Bearing 6204", 2)]), null).ShouldBeNull();
    }

    [Fact]
    public void Callback_needs_a_satisfaction_score_and_a_reason_when_unsatisfied()
    {
        TicketStateMachine.Validate(new TicketActionRequest("callback"), null)!.ShouldContain("'satisfaction'");
        TicketStateMachine.Validate(new TicketActionRequest("callback", Satisfaction: 6), null)!.ShouldContain("1 (very unsatisfied) to 5");
        TicketStateMachine.Validate(new TicketActionRequest("callback", Satisfaction: 2), null)!.ShouldContain("reason");
        TicketStateMachine.Validate(new TicketActionRequest("callback", Note: "Still noisy", Satisfaction: 2), null).ShouldBeNull();
        TicketStateMachine.Validate(new TicketActionRequest("callback", Satisfaction: 3), null).ShouldBeNull();
    }

    [Fact]
    public void Reopen_needs_an_explicit_choice_about_the_assignee()
    {
        TicketStateMachine.Validate(new TicketActionRequest("reopen"), "张师傅")!.ShouldContain("'keepAssignee'");
        TicketStateMachine.Validate(new TicketActionRequest("reopen", KeepAssignee: true), null)!.ShouldContain("has none");
        TicketStateMachine.Validate(new TicketActionRequest("reopen", KeepAssignee: false), null).ShouldBeNull();
    }

    [Fact]
    public void Cancel_needs_a_reason() =>
        TicketStateMachine.Validate(new TicketActionRequest("cancel"), null)!.ShouldContain("reason");

    [Fact]
    public void Time_standards_default_to_the_repair_standard()
    {
        var options = new TicketOptions();
        options.OnSiteStandard(Severity.Emergency).ShouldBe(TimeSpan.FromMinutes(3));
        options.OnSiteStandard(Severity.Urgent).ShouldBe(TimeSpan.FromMinutes(15));
        options.AcceptStandard(Severity.Emergency).ShouldBeLessThan(options.OnSiteStandard(Severity.Emergency));
    }

    [Fact]
    public void Photo_type_is_decided_by_the_content_not_the_name()
    {
        TicketPhotos.Sniff([0xFF, 0xD8, 0xFF, 0xE0]).ShouldBe(("image/jpeg", ".jpg"));
        TicketPhotos.Sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]).ShouldBe(("image/png", ".png"));
        TicketPhotos.Sniff("RIFF\0\0\0\0WEBPVP8 "u8).ShouldBe(("image/webp", ".webp"));
        TicketPhotos.Sniff("<svg onload=alert(1)>"u8).ShouldBeNull();
    }
}
