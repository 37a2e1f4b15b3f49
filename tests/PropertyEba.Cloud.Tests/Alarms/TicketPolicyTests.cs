using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Alarms;

/// <summary>Which alarms open a ticket, by severity, equipment class and how long they have been active.</summary>
public sealed class TicketPolicyTests
{
    [Fact]
    public void Severity_at_least_the_minimum_opens_a_ticket_and_a_notice_does_not_by_default()
    {
        var policy = new TicketPolicyOptions();
        policy.Opens(Severity.Emergency, "fire", TimeSpan.Zero).ShouldBeTrue();
        policy.Opens(Severity.Normal, "water", TimeSpan.Zero).ShouldBeTrue();
        policy.Opens(Severity.Notice, "water", TimeSpan.Zero).ShouldBeFalse();

        policy.MinimumSeverity = Severity.Urgent;
        policy.Opens(Severity.Normal, "water", TimeSpan.Zero).ShouldBeFalse();
    }

    [Fact]
    public void Only_the_listed_equipment_classes_open_tickets_when_a_list_is_given()
    {
        var policy = new TicketPolicyOptions { EquipmentClasses = ["water", "fire"] };
        policy.Opens(Severity.Urgent, "water", TimeSpan.Zero).ShouldBeTrue();
        policy.Opens(Severity.Urgent, "hvac", TimeSpan.Zero).ShouldBeFalse();
        policy.Opens(Severity.Urgent, null, TimeSpan.Zero).ShouldBeFalse("an edge has no class");
    }

    [Fact]
    public void An_alarm_shorter_than_the_minimum_duration_waits_for_its_ticket()
    {
        var policy = new TicketPolicyOptions { MinimumDuration = TimeSpan.FromMinutes(2) };
        policy.Opens(Severity.Urgent, "water", TimeSpan.FromSeconds(119)).ShouldBeFalse();
        policy.Opens(Severity.Urgent, "water", TimeSpan.FromMinutes(2)).ShouldBeTrue();
    }
}
