namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// Where one rule stands for one series: whether its alarm is active, since when (on the edge's timeline) its condition
/// holds while waiting for the on-delay, since when it has stopped holding while active (waiting for the off-delay), and
/// the last sample (for the rate of change and for no-data).
/// </summary>
public readonly record struct AlarmTrack(bool Active, long? ConditionSinceUtcMs, long? ClearSinceUtcMs = null, double? LastValue = null, long? LastUtcMs = null)
{
    /// <summary>When the on-delay (raise) or off-delay (clear) this track waits for ends on the edge's timeline; null when it waits for neither.</summary>
    public long? DueUtcMs(AlarmRule rule) => this switch
    {
        { Active: false, ConditionSinceUtcMs: { } since } => since + (rule.OnDelaySeconds * 1000L),
        { Active: true, ClearSinceUtcMs: { } since } => since + (rule.OffDelaySeconds * 1000L),
        _ => null,
    };
}

/// <summary>What a sample (or the passing of time) did to a rule's alarm.</summary>
public enum AlarmTransition
{
    None,
    Raise,
    Clear,
}

/// <summary>
/// The alarm state machine of a rule for one series: the condition (limits with deadband, states, bits, rate of change,
/// no data, communication), the on-delay before raising and the off-delay before clearing. Pure: no clock, no storage;
/// times are the samples' (edge) times in Unix milliseconds.
/// </summary>
public static class AlarmEvaluator
{
    /// <summary>Judges one sample.</summary>
    public static (AlarmTrack Track, AlarmTransition Transition) Evaluate(AlarmRule rule, AlarmTrack track, double value, long timestampUtcMs)
    {
        var holds = ConditionHolds(rule, track, value, timestampUtcMs);
        var next = track with { LastValue = value, LastUtcMs = timestampUtcMs };
        return Step(rule, next, holds, timestampUtcMs);
    }

    /// <summary>
    /// Judges the passing of time up to <paramref name="nowUtcMs"/> without a sample: a waiting on- or off-delay that has
    /// run out, or a <see cref="AlarmCondition.NoData"/> rule whose point has been silent long enough.
    /// </summary>
    public static (AlarmTrack Track, AlarmTransition Transition) Elapse(AlarmRule rule, AlarmTrack track, long nowUtcMs)
    {
        if (rule.Condition == AlarmCondition.NoData && !track.Active)
        {
            var silent = track.LastUtcMs is { } last && nowUtcMs - last >= (long)(rule.Threshold * 1000);
            return silent ? (track with { Active = true, ConditionSinceUtcMs = track.LastUtcMs }, AlarmTransition.Raise) : (track, AlarmTransition.None);
        }

        // The condition is as it was at the last sample: only the delays move on.
        var holds = track.Active ? track.ClearSinceUtcMs is null : track.ConditionSinceUtcMs is not null;
        return Step(rule, track, holds, nowUtcMs);
    }

    /// <summary>When a <see cref="AlarmCondition.NoData"/> rule's point will have been silent long enough; null for other rules.</summary>
    public static long? SilenceDueUtcMs(AlarmRule rule, AlarmTrack track) =>
        rule.Condition == AlarmCondition.NoData && !track.Active && track.LastUtcMs is { } last ? last + (long)(rule.Threshold * 1000) : null;

    /// <summary>Whether <paramref name="threshold"/> means something for <paramref name="condition"/>; else why not.</summary>
    public static bool ThresholdFits(AlarmCondition condition, double threshold, out string why)
    {
        why = condition switch
        {
            AlarmCondition.BitSet when threshold is < 0 or > 63 || threshold != Math.Floor(threshold) =>
                $"'threshold' is {threshold}; for BitSet it is the bit number, 0 to 63.",
            AlarmCondition.RateOfChange when threshold <= 0 => $"'threshold' is {threshold}; for RateOfChange it is the change per minute that raises, > 0.",
            AlarmCondition.NoData when threshold is < 1 or > 7 * 86400 => $"'threshold' is {threshold}; for NoData it is the silence in seconds, 1 to 604800.",
            _ => "",
        };
        return why.Length == 0;
    }

    private static (AlarmTrack Track, AlarmTransition Transition) Step(AlarmRule rule, AlarmTrack track, bool holds, long nowUtcMs)
    {
        if (track.Active)
        {
            if (holds)
            {
                return (track with { ClearSinceUtcMs = null }, AlarmTransition.None);
            }

            var clearSince = track.ClearSinceUtcMs ?? nowUtcMs;
            return nowUtcMs - clearSince >= rule.OffDelaySeconds * 1000L
                ? (track with { Active = false, ConditionSinceUtcMs = null, ClearSinceUtcMs = null }, AlarmTransition.Clear)
                : (track with { ClearSinceUtcMs = clearSince }, AlarmTransition.None);
        }

        if (!holds)
        {
            return (track with { ConditionSinceUtcMs = null }, AlarmTransition.None);
        }

        var since = track.ConditionSinceUtcMs ?? nowUtcMs;
        return nowUtcMs - since >= rule.OnDelaySeconds * 1000L
            ? (track with { Active = true, ConditionSinceUtcMs = since, ClearSinceUtcMs = null }, AlarmTransition.Raise)
            : (track with { ConditionSinceUtcMs = since }, AlarmTransition.None);
    }

    // While active, the deadband widens the condition so that clearing needs a real recovery.
    private static bool ConditionHolds(AlarmRule rule, AlarmTrack track, double value, long timestampUtcMs)
    {
        var band = track.Active ? rule.Deadband : 0;
        return rule.Condition switch
        {
            AlarmCondition.BelowLimit or AlarmCondition.LowLowLimit => value < rule.Threshold + band,
            AlarmCondition.AboveLimit or AlarmCondition.HighHighLimit => value > rule.Threshold - band,
            AlarmCondition.StateEquals => Math.Abs(value - rule.Threshold) < 0.5,
            AlarmCondition.BitSet => double.IsFinite(value) && ((long)value >> (int)rule.Threshold & 1) == 1,
            AlarmCondition.RateOfChange => RatePerMinute(track, value, timestampUtcMs) is { } rate ? Math.Abs(rate) > rule.Threshold - band : track.Active,
            AlarmCondition.CommunicationLost or AlarmCondition.EdgeOffline => value >= 0.5,

            // A sample is the opposite of silence.
            AlarmCondition.NoData => false,
            _ => false,
        };
    }

    private static double? RatePerMinute(AlarmTrack track, double value, long timestampUtcMs) =>
        track is { LastValue: { } last, LastUtcMs: { } lastAt } && timestampUtcMs > lastAt
            ? (value - last) / ((timestampUtcMs - lastAt) / 60_000.0)
            : null;
}
