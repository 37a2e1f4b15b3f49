using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Tickets;

public sealed class TicketStateMachineTests
{
    [Theory]
    [InlineData(TicketStatus.Created, "dispatch", TicketStatus.Dispatched)]
    [InlineData(TicketStatus.Dispatched, "accept", TicketStatus.Accepted)]
    [InlineData(TicketStatus.Accepted, "arrive", TicketStatus.OnSite)]
    [InlineData(TicketStatus.OnSite, "resolve", TicketStatus.Resolved)]
    [InlineData(TicketStatus.Resolved, "close", TicketStatus.Closed)]
    [InlineData(TicketStatus.Closed, "reopen", TicketStatus.Created)]
    public void Allowed_action_moves_the_ticket_on(TicketStatus from, string action, TicketStatus to) =>
        TicketStateMachine.Apply(from, action).Next.ShouldBe(to);

    [Fact]
    public void Closing_before_the_repair_is_refused_with_what_is_allowed()
    {
        var (next, error) = TicketStateMachine.Apply(TicketStatus.OnSite, "close");
        next.ShouldBeNull();
        error.ShouldNotBeNull();
        error.ShouldContain("resolve");
    }

    [Fact]
    public void Unknown_action_names_the_known_ones()
    {
        var (_, error) = TicketStateMachine.Apply(TicketStatus.Created, "teleport");
        error!.ShouldContain("dispatch, accept, arrive, resolve, close, reopen");
    }

    [Fact]
    public void Time_standards_default_to_the_repair_standard()
    {
        var options = new TicketOptions();
        options.OnSiteStandard(Severity.Emergency).ShouldBe(TimeSpan.FromMinutes(3));
        options.OnSiteStandard(Severity.Urgent).ShouldBe(TimeSpan.FromMinutes(15));
    }
}
