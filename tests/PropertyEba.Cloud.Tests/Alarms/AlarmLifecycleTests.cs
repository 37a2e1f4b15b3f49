using PropertyEba.Cloud.Alarms;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Alarms;

/// <summary>The ISA-18.2 transitions of the pure lifecycle.</summary>
public sealed class AlarmLifecycleTests
{
    [Fact]
    public void A_latched_alarm_waits_cleared_unacknowledged_for_its_reset_and_any_other_is_normal_when_it_clears()
    {
        AlarmLifecycle.OnConditionCleared(latched: true).ShouldBe(AlarmState.ClearedUnacknowledged);
        AlarmLifecycle.OnConditionCleared(latched: false).ShouldBe(AlarmState.Cleared);
        AlarmLifecycle.Reset(AlarmState.ClearedUnacknowledged, latched: true).Next.ShouldBe(AlarmState.Cleared);
    }

    [Theory]
    [InlineData(AlarmState.Active, true, "still holds")]
    [InlineData(AlarmState.Acknowledged, true, "still holds")]
    [InlineData(AlarmState.Active, false, "Only a latched alarm")]
    [InlineData(AlarmState.Cleared, true, "already been reset")]
    public void Reset_is_refused_with_the_reason_while_the_condition_holds_or_for_an_unlatched_alarm(AlarmState state, bool latched, string reason)
    {
        var (next, error) = AlarmLifecycle.Reset(state, latched);
        next.ShouldBeNull();
        error.ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void Acknowledging_an_active_alarm_makes_it_active_acknowledged_and_re_alarm_undoes_that()
    {
        AlarmLifecycle.OnAcknowledged(AlarmState.Active).ShouldBe(AlarmState.Acknowledged);
        AlarmLifecycle.OnAcknowledged(AlarmState.ClearedUnacknowledged).ShouldBe(AlarmState.ClearedUnacknowledged, "a latched alarm still needs its reset");
        AlarmLifecycle.OnReAlarm(AlarmState.Acknowledged).ShouldBe(AlarmState.Active);
        AlarmLifecycle.OnReAlarm(AlarmState.Cleared).ShouldBe(AlarmState.Cleared);
    }

    [Fact]
    public void Shelving_needs_a_reason_a_bounded_time_and_an_alarm_that_is_not_normal()
    {
        AlarmLifecycle.CannotShelve(AlarmState.Active, TimeSpan.FromHours(1), "sensor being replaced").ShouldBeNull();
        AlarmLifecycle.CannotShelve(AlarmState.Active, TimeSpan.FromHours(25), "long").ShouldNotBeNull().ShouldContain("1440");
        AlarmLifecycle.CannotShelve(AlarmState.Active, TimeSpan.FromHours(1), " ").ShouldNotBeNull().ShouldContain("reason");
        AlarmLifecycle.CannotShelve(AlarmState.Cleared, TimeSpan.FromHours(1), "x").ShouldNotBeNull().ShouldContain("normal");
    }
}
