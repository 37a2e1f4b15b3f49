using PropertyEba.Cloud.Alarms;

namespace PropertyEba.Cloud.Tests.Alarms;

public sealed class AlarmEvaluatorTests
{
    private static AlarmRule LowLevel(int onDelaySeconds = 0) => new()
    {
        TenantId = "t",
        RuleId = "tank-low",
        Name = "low",
        PointId = "level",
        Condition = AlarmCondition.BelowLimit,
        Threshold = 0.5,
        Deadband = 0.2,
        OnDelaySeconds = onDelaySeconds,
    };

    [Fact]
    public void Raises_once_when_the_level_falls_below_the_limit()
    {
        var rule = LowLevel();
        var (track, t1) = AlarmEvaluator.Evaluate(rule, default, 0.4, 1000);
        t1.ShouldBe(AlarmTransition.Raise);
        var (_, t2) = AlarmEvaluator.Evaluate(rule, track, 0.3, 2000);
        t2.ShouldBe(AlarmTransition.None);
    }

    [Fact]
    public void Does_not_clear_inside_the_deadband_and_clears_above_it()
    {
        var rule = LowLevel();
        var (track, _) = AlarmEvaluator.Evaluate(rule, default, 0.4, 1000);
        var (track2, inBand) = AlarmEvaluator.Evaluate(rule, track, 0.6, 2000);
        inBand.ShouldBe(AlarmTransition.None, "0.6 is above the limit but inside the 0.2 deadband");
        var (_, cleared) = AlarmEvaluator.Evaluate(rule, track2, 0.75, 3000);
        cleared.ShouldBe(AlarmTransition.Clear);
    }

    [Fact]
    public void On_delay_filters_a_short_dip()
    {
        var rule = LowLevel(onDelaySeconds: 10);
        var (track, a) = AlarmEvaluator.Evaluate(rule, default, 0.4, 0);
        a.ShouldBe(AlarmTransition.None);
        var (track2, b) = AlarmEvaluator.Evaluate(rule, track, 0.6, 5_000);
        b.ShouldBe(AlarmTransition.None);
        track2.ConditionSinceUtcMs.ShouldBeNull("the dip ended, so the on-delay starts over");
        var (track3, c) = AlarmEvaluator.Evaluate(rule, track2, 0.4, 6_000);
        c.ShouldBe(AlarmTransition.None);
        var (_, d) = AlarmEvaluator.Evaluate(rule, track3, 0.4, 16_000);
        d.ShouldBe(AlarmTransition.Raise);
    }

    [Theory]
    [InlineData(1.0, AlarmTransition.Raise)]
    [InlineData(0.0, AlarmTransition.None)]
    public void State_rule_raises_when_the_state_matches(double value, AlarmTransition expected)
    {
        var rule = new AlarmRule { TenantId = "t", RuleId = "vfd", Name = "vfd", PointId = "pump1.vfdFault", Condition = AlarmCondition.StateEquals, Threshold = 1 };
        AlarmEvaluator.Evaluate(rule, default, value, 0).Transition.ShouldBe(expected);
    }

    [Fact]
    public void High_limit_clears_below_threshold_minus_deadband()
    {
        var rule = new AlarmRule { TenantId = "t", RuleId = "hot", Name = "hot", PointId = "temp", Condition = AlarmCondition.AboveLimit, Threshold = 100, Deadband = 5 };
        var (track, raised) = AlarmEvaluator.Evaluate(rule, default, 101, 0);
        raised.ShouldBe(AlarmTransition.Raise);
        AlarmEvaluator.Evaluate(rule, track, 97, 1).Transition.ShouldBe(AlarmTransition.None);
        AlarmEvaluator.Evaluate(rule, track, 94, 1).Transition.ShouldBe(AlarmTransition.Clear);
    }
}
