using Microsoft.Extensions.Time.Testing;
using PropertyEba.Cloud.Alarms;

namespace PropertyEba.Cloud.Tests.Alarms;

/// <summary>
/// Each condition type and each delay of the pure evaluator, with the samples' times taken from a fake clock that the
/// test moves on (the evaluator itself reads no clock).
/// </summary>
public sealed class AlarmConditionTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));
    private AlarmTrack _track;

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static AlarmRule Rule(AlarmCondition condition, double threshold, double deadband = 0, int onDelay = 0, int offDelay = 0) => new()
    {
        TenantId = "t",
        RuleId = "r",
        Name = "r",
        PointId = "p",
        Condition = condition,
        Threshold = threshold,
        Deadband = deadband,
        OnDelaySeconds = onDelay,
        OffDelaySeconds = offDelay,
    };

    private AlarmTransition Sample(AlarmRule rule, double value, TimeSpan? after = null)
    {
        _clock.Advance(after ?? TimeSpan.FromSeconds(1));
        (_track, var transition) = AlarmEvaluator.Evaluate(rule, _track, value, Now);
        return transition;
    }

    private AlarmTransition Elapse(AlarmRule rule, TimeSpan by)
    {
        _clock.Advance(by);
        (_track, var transition) = AlarmEvaluator.Elapse(rule, _track, Now);
        return transition;
    }

    [Fact]
    public void High_high_limit_raises_above_it_and_clears_only_below_the_deadband()
    {
        var rule = Rule(AlarmCondition.HighHighLimit, threshold: 1.2, deadband: 0.1);
        Sample(rule, 1.1).ShouldBe(AlarmTransition.None);
        Sample(rule, 1.25).ShouldBe(AlarmTransition.Raise);
        Sample(rule, 1.15).ShouldBe(AlarmTransition.None, "1.15 is within the 0.1 deadband under 1.2");
        Sample(rule, 1.05).ShouldBe(AlarmTransition.Clear);
    }

    [Fact]
    public void Low_low_limit_raises_below_it_and_clears_only_above_the_deadband()
    {
        var rule = Rule(AlarmCondition.LowLowLimit, threshold: 0.2, deadband: 0.1);
        Sample(rule, 0.15).ShouldBe(AlarmTransition.Raise);
        Sample(rule, 0.25).ShouldBe(AlarmTransition.None);
        Sample(rule, 0.31).ShouldBe(AlarmTransition.Clear);
    }

    [Fact]
    public void High_limit_raises_above_the_threshold()
    {
        var rule = Rule(AlarmCondition.AboveLimit, threshold: 80);
        Sample(rule, 80).ShouldBe(AlarmTransition.None, "at the limit is not above it");
        Sample(rule, 80.5).ShouldBe(AlarmTransition.Raise);
        Sample(rule, 79).ShouldBe(AlarmTransition.Clear);
    }

    [Fact]
    public void Enumerated_state_raises_on_its_value_only()
    {
        var rule = Rule(AlarmCondition.StateEquals, threshold: 3);
        Sample(rule, 2).ShouldBe(AlarmTransition.None);
        Sample(rule, 3).ShouldBe(AlarmTransition.Raise);
        Sample(rule, 4).ShouldBe(AlarmTransition.Clear);
    }

    [Fact]
    public void Bit_of_a_status_word_raises_while_it_is_set_whatever_the_other_bits()
    {
        var rule = Rule(AlarmCondition.BitSet, threshold: 2);
        Sample(rule, 0b0011).ShouldBe(AlarmTransition.None);
        Sample(rule, 0b0100).ShouldBe(AlarmTransition.Raise);
        Sample(rule, 0b1111).ShouldBe(AlarmTransition.None, "bit 2 still set");
        Sample(rule, 0b1011).ShouldBe(AlarmTransition.Clear);
    }

    [Fact]
    public void Rate_of_change_raises_when_the_value_moves_faster_than_the_threshold_per_minute_either_way()
    {
        var rule = Rule(AlarmCondition.RateOfChange, threshold: 2, deadband: 0.5);
        Sample(rule, 10).ShouldBe(AlarmTransition.None, "a first sample has no rate");
        Sample(rule, 11, TimeSpan.FromMinutes(1)).ShouldBe(AlarmTransition.None, "1 per minute");
        Sample(rule, 8, TimeSpan.FromMinutes(1)).ShouldBe(AlarmTransition.Raise, "falling 3 per minute");
        Sample(rule, 6.2, TimeSpan.FromMinutes(1)).ShouldBe(AlarmTransition.None, "1.8 per minute is inside the deadband");
        Sample(rule, 5.2, TimeSpan.FromMinutes(1)).ShouldBe(AlarmTransition.Clear);
    }

    [Fact]
    public void No_data_raises_after_the_silence_and_clears_with_the_next_sample()
    {
        var rule = Rule(AlarmCondition.NoData, threshold: 300);
        Sample(rule, 1).ShouldBe(AlarmTransition.None);
        AlarmEvaluator.SilenceDueUtcMs(rule, _track).ShouldBe(Now + 300_000);
        Elapse(rule, TimeSpan.FromSeconds(299)).ShouldBe(AlarmTransition.None);
        Elapse(rule, TimeSpan.FromSeconds(1)).ShouldBe(AlarmTransition.Raise);
        Elapse(rule, TimeSpan.FromMinutes(10)).ShouldBe(AlarmTransition.None, "raised once");
        Sample(rule, 1).ShouldBe(AlarmTransition.Clear);
    }

    [Fact]
    public void Device_communication_lost_and_edge_offline_raise_on_their_state_points()
    {
        foreach (var condition in new[] { AlarmCondition.CommunicationLost, AlarmCondition.EdgeOffline })
        {
            _track = default;
            var rule = Rule(condition, threshold: 1);
            Sample(rule, 0).ShouldBe(AlarmTransition.None);
            Sample(rule, 1).ShouldBe(AlarmTransition.Raise, condition.ToString());
            Sample(rule, 0).ShouldBe(AlarmTransition.Clear, condition.ToString());
        }
    }

    [Fact]
    public void On_delay_raises_when_it_has_run_out_without_a_further_sample_and_not_when_the_condition_ends_first()
    {
        var rule = Rule(AlarmCondition.AboveLimit, threshold: 5, onDelay: 60);
        Sample(rule, 6).ShouldBe(AlarmTransition.None);
        _track.DueUtcMs(rule).ShouldBe(Now + 60_000);
        Elapse(rule, TimeSpan.FromSeconds(59)).ShouldBe(AlarmTransition.None);
        Elapse(rule, TimeSpan.FromSeconds(1)).ShouldBe(AlarmTransition.Raise);

        _track = default;
        Sample(rule, 6).ShouldBe(AlarmTransition.None);
        Sample(rule, 4, TimeSpan.FromSeconds(30)).ShouldBe(AlarmTransition.None);
        Elapse(rule, TimeSpan.FromMinutes(5)).ShouldBe(AlarmTransition.None, "the condition ended within the on-delay");
    }

    [Fact]
    public void Off_delay_clears_only_when_the_condition_has_stayed_away_that_long()
    {
        var rule = Rule(AlarmCondition.AboveLimit, threshold: 5, offDelay: 30);
        Sample(rule, 6).ShouldBe(AlarmTransition.Raise);
        Sample(rule, 4).ShouldBe(AlarmTransition.None, "the off-delay starts");
        Sample(rule, 6, TimeSpan.FromSeconds(10)).ShouldBe(AlarmTransition.None, "back within the off-delay: still the same alarm");
        Sample(rule, 4, TimeSpan.FromSeconds(10)).ShouldBe(AlarmTransition.None);
        _track.DueUtcMs(rule).ShouldBe(Now + 30_000);
        Elapse(rule, TimeSpan.FromSeconds(29)).ShouldBe(AlarmTransition.None);
        Elapse(rule, TimeSpan.FromSeconds(1)).ShouldBe(AlarmTransition.Clear);
    }

    [Theory]
    [InlineData(AlarmCondition.BitSet, 64, false)]
    [InlineData(AlarmCondition.BitSet, 1.5, false)]
    [InlineData(AlarmCondition.BitSet, 15, true)]
    [InlineData(AlarmCondition.RateOfChange, 0, false)]
    [InlineData(AlarmCondition.NoData, 0, false)]
    [InlineData(AlarmCondition.NoData, 600, true)]
    public void Threshold_must_mean_something_for_its_condition(AlarmCondition condition, double threshold, bool fits)
    {
        AlarmEvaluator.ThresholdFits(condition, threshold, out var why).ShouldBe(fits);
        (why.Length > 0).ShouldBe(!fits);
    }
}
