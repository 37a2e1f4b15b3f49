namespace PropertyEba.Cloud.Telemetry;

/// <summary>
/// COUNT, SUM, MIN, MAX, FIRST and LAST (with their times) of the values of one series in one bucket. Every field
/// combines with the same field of a neighbouring bucket, so larger windows (a site's local day, week, month) are
/// merges of smaller ones and the mean is Sum / Count — no engine has to know about time zones or counters.
/// </summary>
public readonly record struct BucketAggregate(
    SeriesKey Series,
    DateTimeOffset Start,
    long Count,
    double Sum,
    double Min,
    double Max,
    DateTimeOffset FirstAt,
    double First,
    DateTimeOffset LastAt,
    double Last)
{
    public double Mean => Count == 0 ? double.NaN : Sum / Count;

    /// <summary>The aggregate of both buckets' values; keeps this one's series and the earlier start.</summary>
    public BucketAggregate Merge(BucketAggregate other)
    {
        if (other.Count == 0)
        {
            return this;
        }

        if (Count == 0)
        {
            return other with { Series = Series, Start = Start < other.Start ? Start : other.Start };
        }

        // On equal times the receiver wins for FIRST and the argument for LAST: merging in time order keeps
        // the sample that was written first as FIRST and the one written last as LAST.
        var firstIsOther = other.FirstAt < FirstAt;
        var lastIsOther = other.LastAt >= LastAt;
        return new BucketAggregate(
            Series,
            Start < other.Start ? Start : other.Start,
            Count + other.Count,
            Sum + other.Sum,
            Math.Min(Min, other.Min),
            Math.Max(Max, other.Max),
            firstIsOther ? other.FirstAt : FirstAt,
            firstIsOther ? other.First : First,
            lastIsOther ? other.LastAt : LastAt,
            lastIsOther ? other.Last : Last);
    }

    /// <summary>The aggregate of one value.</summary>
    public static BucketAggregate Of(SeriesKey series, DateTimeOffset start, DateTimeOffset at, double value) =>
        new(series, start, 1, value, value, value, at, value, at, value);

    /// <summary>Start of the bucket that holds <paramref name="timestampMs"/> on the grid epoch + offset + k × bucket.</summary>
    public static long BucketStartMs(long timestampMs, long bucketMs, long offsetMs)
    {
        // Floor division, also before the epoch (integer division truncates towards zero).
        var shifted = timestampMs - offsetMs;
        var k = shifted >= 0 ? shifted / bucketMs : ((shifted + 1) / bucketMs) - 1;
        return offsetMs + (k * bucketMs);
    }
}

/// <summary>Checks the arguments of <see cref="ITelemetryStore.AggregateAsync"/> the same way for every engine.</summary>
public static class BucketArguments
{
    public static void Validate(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, TimeSpan offset)
    {
        if (bucket < TimeSpan.FromMilliseconds(1) || bucket.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "The bucket must be a whole number of milliseconds, at least 1 ms.");
        }

        if (offset < TimeSpan.Zero || offset >= bucket || offset.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset must be whole milliseconds with 0 ≤ offset < bucket.");
        }

        if (from > to)
        {
            throw new ArgumentException($"'from' ({from:o}) is after 'to' ({to:o}).", nameof(from));
        }
    }
}
