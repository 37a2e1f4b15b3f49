namespace PropertyEba.Cloud.Telemetry;

/// <summary>
/// The time-series store. The embedded engine is the default; InfluxDB over its v1 HTTP API is the
/// production choice. Appends must be durable when the call returns.
/// </summary>
public interface ITelemetryStore
{
    /// <summary>Appends samples of one batch (any series).</summary>
    Task AppendAsync(IReadOnlyList<SeriesSample> samples, CancellationToken cancellationToken);

    /// <summary>Samples of one series with from ≤ timestamp &lt; to, oldest first, at most <paramref name="limit"/> (the newest are kept).</summary>
    Task<IReadOnlyList<StoredSample>> QueryAsync(SeriesKey key, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// One <see cref="BucketAggregate"/> per series and fixed-width bucket that holds at least one value, over the
    /// samples with from ≤ timestamp &lt; to. Buckets start at UNIX epoch + <paramref name="offset"/> + k × <paramref name="bucket"/>
    /// (what InfluxQL's <c>GROUP BY time(bucket, offset)</c> does), so an engine can answer natively.
    /// Samples without a value are skipped; quality is not filtered. Ordered by series as given, then by start.
    /// The aggregates are mergeable (<see cref="BucketAggregate.Merge"/>): calendar windows in a site's time zone,
    /// means and counter consumption are computed above this call, the same for every engine.
    /// </summary>
    /// <param name="bucket">Bucket width, at least 1 ms and whole milliseconds.</param>
    /// <param name="offset">Shift of the bucket grid, 0 ≤ offset &lt; bucket.</param>
    Task<IReadOnlyList<BucketAggregate>> AggregateAsync(IReadOnlyList<SeriesKey> series, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, TimeSpan offset, CancellationToken cancellationToken);
}
