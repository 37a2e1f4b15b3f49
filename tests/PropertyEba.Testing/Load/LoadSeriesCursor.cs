using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Testing.Load;

/// <summary>
/// The samples one load publisher (or one reference writer) produces: its share of the series, visited round-robin,
/// each sample with a timestamp near now. Timestamps never go backwards and grow by at least 1 ms from one batch to
/// the next, so no series ever gets two samples with the same timestamp (a store keeps one value per series and
/// time, and the samples would then not all be distinct). Not thread-safe: one per producer.
/// </summary>
public sealed class LoadSeriesCursor
{
    private readonly int _firstSeries;
    private readonly int _seriesCount;
    private readonly int _pointsPerDevice;
    private readonly string[] _deviceIds;
    private readonly string[] _pointIds;
    private int _position;
    private long _lastTimestampUtcMs;
    private long _produced;

    /// <summary>The share of <paramref name="totalSeries"/> that producer <paramref name="index"/> of <paramref name="producers"/> writes.</summary>
    public LoadSeriesCursor(int index, int producers, int totalSeries, int pointsPerDevice)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, producers);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSeries, producers);
        ArgumentOutOfRangeException.ThrowIfLessThan(pointsPerDevice, 1);
        // Contiguous shares, so devices do not interleave between edges (an edge owns the devices it polls).
        _firstSeries = (int)((long)totalSeries * index / producers);
        _seriesCount = (int)((long)totalSeries * (index + 1) / producers) - _firstSeries;
        _pointsPerDevice = pointsPerDevice;
        var devices = (totalSeries + pointsPerDevice - 1) / pointsPerDevice;
        _deviceIds = new string[devices];
        for (var d = 0; d < devices; d++)
        {
            _deviceIds[d] = $"dev-{d:D4}";
        }

        _pointIds = new string[pointsPerDevice];
        for (var p = 0; p < pointsPerDevice; p++)
        {
            _pointIds[p] = $"p{p:D2}";
        }
    }

    /// <summary>How many series this producer writes.</summary>
    public int SeriesCount => _seriesCount;

    /// <summary>The next <paramref name="count"/> samples, none older than <paramref name="nowUtcMs"/>.</summary>
    public TelemetrySample[] NextBatch(int count, long nowUtcMs)
    {
        var samples = new TelemetrySample[count];
        var timestamp = Math.Max(nowUtcMs, _lastTimestampUtcMs + 1);
        for (var i = 0; i < count; i++)
        {
            if (i > 0 && _position == 0)
            {
                // The batch wraps round the series: the second visit of a series needs a later timestamp.
                timestamp++;
            }

            var series = _firstSeries + _position;
            samples[i] = new TelemetrySample
            {
                DeviceId = _deviceIds[series / _pointsPerDevice],
                PointId = _pointIds[series % _pointsPerDevice],
                TimestampUtcMs = timestamp,
                // A bounded, varying value, as a real point would give; the figure itself is irrelevant.
                Value = ((_produced + i) % 1_000) / 10.0,
                Quality = SampleQuality.Good,
            };
            _position = _position + 1 == _seriesCount ? 0 : _position + 1;
        }

        _produced += count;
        _lastTimestampUtcMs = timestamp;
        return samples;
    }
}
