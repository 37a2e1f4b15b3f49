using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Analytics;

/// <summary>How a counter (kWh, m³) behaves when its value goes down.</summary>
/// <param name="RolloverAt">The value at which the register wraps to 0 (e.g. 1,000,000 for a six-digit register, 4,294,967,296 for a raw UINT32); null when it never wraps.</param>
public sealed record CounterRules(double? RolloverAt = null)
{
    public static CounterRules Default { get; } = new();
}

/// <summary>
/// Consumption from counter readings, as a pure calculation. The rules, in the order they are applied to two
/// consecutive readings a (earlier) and b (later):
/// <list type="number">
/// <item><b>Rise</b> (b ≥ a): b − a was consumed.</item>
/// <item><b>Rollover</b> (b &lt; a, the counter has a <see cref="CounterRules.RolloverAt"/> M, a was in the top 10 % of the
/// register and b in the bottom 10 %): the register wrapped; (M − a) + b was consumed.</item>
/// <item><b>Meter reset</b> (b &lt; a and b ≤ a / 2 — the counter lost more than half its value: replaced meter, cleared
/// register): the counter restarted at 0; b was consumed since the reset.</item>
/// <item><b>Back-step</b> (any other drop: a reading correction or noise): nothing was consumed; counting goes on from b.</item>
/// </list>
/// <b>Gaps</b>: what was consumed between two readings is spread evenly over the time between them, so a gap that spans a
/// day boundary splits the consumption across both days in proportion to time and the total is preserved.
/// <b>Buckets</b>: the store hands over FIRST, LAST, MIN and MAX per bucket rather than every reading. A bucket whose
/// MIN is its FIRST and whose MAX is its LAST rose steadily and consumed LAST − FIRST. Otherwise the bucket is taken to
/// hold one drop, from MAX to MIN: (MAX − FIRST) + drop(MAX → MIN) + (LAST − MIN), where drop() applies the rules
/// above. That is exact for at most one rollover or reset per bucket, which is why consumption is computed from
/// hourly (or finer) buckets and never from whole days.
/// </summary>
public static class CounterConsumption
{
    /// <summary>Consumption between two consecutive readings.</summary>
    public static double Step(double earlier, double later, CounterRules rules)
    {
        if (later >= earlier)
        {
            return later - earlier;
        }

        if (rules.RolloverAt is { } m && earlier >= 0.9 * m && later <= 0.1 * m)
        {
            return m - earlier + later;
        }

        return later <= earlier / 2 ? Math.Max(later, 0) : 0;
    }

    /// <summary>Consumption inside one bucket (between its first and last reading).</summary>
    public static double WithinBucket(BucketAggregate bucket, CounterRules rules)
    {
        if (bucket.Count <= 1)
        {
            return 0;
        }

        if (bucket.Min >= bucket.First && bucket.Max <= bucket.Last)
        {
            return bucket.Last - bucket.First;
        }

        return (bucket.Max - bucket.First) + Step(bucket.Max, bucket.Min, rules) + (bucket.Last - bucket.Min);
    }

    /// <summary>
    /// Consumption of one series per window. <paramref name="buckets"/> are that series' buckets, oldest first, and may
    /// start before the first window and end after the last (a look-back/look-ahead lets a gap at either end of the
    /// range be split correctly); what falls outside every window is left out.
    /// </summary>
    public static double[] PerWindow(IReadOnlyList<BucketAggregate> buckets, IReadOnlyList<TimeWindow> windows, CounterRules rules)
    {
        var totals = new double[windows.Count];
        BucketAggregate? previous = null;
        foreach (var bucket in buckets)
        {
            if (bucket.Count == 0)
            {
                continue;
            }

            if (previous is { } p)
            {
                Spread(totals, windows, Step(p.Last, bucket.First, rules), p.LastAt, bucket.FirstAt);
            }

            Spread(totals, windows, WithinBucket(bucket, rules), bucket.FirstAt, bucket.LastAt);
            previous = bucket;
        }

        return totals;
    }

    /// <summary>Adds <paramref name="amount"/>, consumed evenly over [from, to], to the windows in proportion to their overlap.</summary>
    private static void Spread(double[] totals, IReadOnlyList<TimeWindow> windows, double amount, DateTimeOffset from, DateTimeOffset to)
    {
        if (amount == 0)
        {
            return;
        }

        if (to <= from)
        {
            // One instant: it belongs to the window that holds it.
            for (var i = 0; i < windows.Count; i++)
            {
                if (windows[i].Start <= from && from < windows[i].End)
                {
                    totals[i] += amount;
                    return;
                }
            }

            return;
        }

        var span = (to - from).Ticks;
        for (var i = 0; i < windows.Count; i++)
        {
            var start = windows[i].Start > from ? windows[i].Start : from;
            var end = windows[i].End < to ? windows[i].End : to;
            if (end > start)
            {
                totals[i] += amount * ((double)(end - start).Ticks / span);
            }
        }
    }
}
