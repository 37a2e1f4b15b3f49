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
}
