using PropertyEba.Contracts.Mqtt;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Polling;

/// <summary>What happened to one point in a poll cycle.</summary>
internal enum PointOutcome
{
    /// <summary>Read and decoded to a finite value.</summary>
    Read,

    /// <summary>The device answered but this point could not be read (exception reply, non-finite value).</summary>
    Unreadable,

    /// <summary>The device did not answer this cycle.</summary>
    NoAnswer,
}

/// <summary>
/// The quality state machine of one device's points. A value is only ever <see cref="SampleQuality.Good"/> when it
/// was read in this cycle and lies within the sensor's range (otherwise <see cref="SampleQuality.Uncertain"/>).
/// When the device misses a cycle its points become <see cref="SampleQuality.Stale"/>, carrying the last value read
/// (so a dashboard can keep showing it, marked old); once the device is declared lost they become
/// <see cref="SampleQuality.CommLost"/> without a value. A point the device refuses is <see cref="SampleQuality.Bad"/>.
/// "Value not changing" is none of these: it stays good, and report by exception sends its heartbeat.
/// </summary>
internal sealed class SampleQualifier
{
    private readonly Dictionary<string, double> _lastRead = new(StringComparer.Ordinal);

    /// <summary>The sample for one point.</summary>
    /// <param name="deviceId">The device.</param>
    /// <param name="point">The point's definition (range).</param>
    /// <param name="outcome">What the read gave.</param>
    /// <param name="value">The decoded value when <paramref name="outcome"/> is <see cref="PointOutcome.Read"/>.</param>
    /// <param name="deviceLost">Whether the device is declared lost (several cycles without an answer).</param>
    /// <param name="timestampUtcMs">When, at the edge.</param>
    public TelemetrySample Qualify(string deviceId, PointDefinition point, PointOutcome outcome, double? value, bool deviceLost, long timestampUtcMs)
    {
        double? sent;
        SampleQuality quality;
        switch (outcome)
        {
            case PointOutcome.Read when value is { } v:
                _lastRead[point.Id] = v;
                sent = v;
                quality = v < (point.Min ?? double.NegativeInfinity) || v > (point.Max ?? double.PositiveInfinity)
                    ? SampleQuality.Uncertain
                    : SampleQuality.Good;
                break;
            case PointOutcome.NoAnswer when deviceLost:
                sent = null;
                quality = SampleQuality.CommLost;
                break;
            case PointOutcome.NoAnswer:
                sent = _lastRead.TryGetValue(point.Id, out var last) ? last : null;
                quality = SampleQuality.Stale;
                break;
            default:
                sent = null;
                quality = SampleQuality.Bad;
                break;
        }

        return new TelemetrySample { DeviceId = deviceId, PointId = point.Id, TimestampUtcMs = timestampUtcMs, Value = sent, Quality = quality };
    }
}
