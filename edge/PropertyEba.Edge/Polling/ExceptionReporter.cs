using PropertyEba.Contracts.Mqtt;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Polling;

/// <summary>
/// Report by exception for one device: a sample is sent when its quality changes, when a state changes (at once,
/// whatever the deadband: a fire alarm or a pump trip must not wait), when an analog value moves by more than the
/// point's deadband since the value last sent, or when the point has been silent for the heartbeat. Everything else
/// is held back and counted. The heartbeat tells the cloud "still good, just not changing" apart from a silent edge.
/// </summary>
internal sealed class ExceptionReporter
{
    private readonly TimeSpan _heartbeat;
    private readonly Dictionary<string, (double? Value, SampleQuality Quality, long SentUtcMs)> _lastSent = new(StringComparer.Ordinal);

    public ExceptionReporter(TimeSpan heartbeat)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(heartbeat, TimeSpan.Zero);
        _heartbeat = heartbeat;
    }

    /// <summary>Samples held back so far.</summary>
    public long Suppressed { get; private set; }

    /// <summary>Whether to send this sample now; remembers it as sent when so.</summary>
    public bool ShouldSend(TelemetrySample sample, PointDefinition point)
    {
        if (!_lastSent.TryGetValue(sample.PointId, out var last) || ShouldSend(sample, point, last))
        {
            _lastSent[sample.PointId] = (sample.Value, sample.Quality, sample.TimestampUtcMs);
            return true;
        }

        Suppressed++;
        return false;
    }

    private bool ShouldSend(TelemetrySample sample, PointDefinition point, (double? Value, SampleQuality Quality, long SentUtcMs) last)
    {
        if (sample.Quality != last.Quality || sample.TimestampUtcMs - last.SentUtcMs >= (long)_heartbeat.TotalMilliseconds)
        {
            return true;
        }

        if (sample.Value is not { } value || last.Value is not { } previous)
        {
            return sample.Value.HasValue != last.Value.HasValue;
        }

        if (point.Kind is PointKind.State or PointKind.Command || point.Deadband is not { } deadband)
        {
            // States (and counters or analogs without a deadband) report every change.
            return value != previous;
        }

        return Math.Abs(value - previous) > deadband;
    }
}
