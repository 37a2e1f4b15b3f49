namespace PropertyEba.Cloud.Alarms;

/// <summary>Where one rule stands for one series: whether its alarm is active, and since when the condition holds.</summary>
public readonly record struct AlarmTrack(bool Active, long? ConditionSinceUtcMs);

/// <summary>What a sample did to a rule's alarm.</summary>
public enum AlarmTransition
{
    None,
    Raise,
    Clear,
}

/// <summary>
/// The alarm state machine for limit and state rules: on-delay before raising, deadband before
/// clearing (so a level hovering at the threshold does not chatter). Pure: no clock, no storage.
/// </summary>
public static class AlarmEvaluator
{
    public static (AlarmTrack Track, AlarmTransition Transition) Evaluate(AlarmRule rule, AlarmTrack track, double value, long timestampUtcMs)
    {
        var holds = ConditionHolds(rule, value, track.Active);
        if (track.Active)
        {
            return holds ? (track, AlarmTransition.None) : (new AlarmTrack(false, null), AlarmTransition.Clear);
        }

        if (!holds)
        {
            return (new AlarmTrack(false, null), AlarmTransition.None);
        }

        var since = track.ConditionSinceUtcMs ?? timestampUtcMs;
        return timestampUtcMs - since >= rule.OnDelaySeconds * 1000L
            ? (new AlarmTrack(true, since), AlarmTransition.Raise)
            : (new AlarmTrack(false, since), AlarmTransition.None);
    }

    // While active, the deadband widens the condition so that clearing needs a real recovery.
    private static bool ConditionHolds(AlarmRule rule, double value, bool active) => rule.Condition switch
    {
        AlarmCondition.BelowLimit => value < rule.Threshold + (active ? rule.Deadband : 0),
        AlarmCondition.AboveLimit => value > rule.Threshold - (active ? rule.Deadband : 0),
        AlarmCondition.StateEquals => Math.Abs(value - rule.Threshold) < 0.5,
        _ => false,
    };
}
