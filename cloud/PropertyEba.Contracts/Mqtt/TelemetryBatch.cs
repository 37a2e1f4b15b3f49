namespace PropertyEba.Contracts.Mqtt;

/// <summary>
/// Payload of <c>…/telemetry</c>, schema version 1 (docs/mqtt-contract.md). One batch per poll cycle
/// (or per replayed buffer chunk) from one edge.
/// </summary>
public sealed record TelemetryBatch
{
    /// <summary>The payload schema version; this type is version 1.</summary>
    public const int CurrentSchema = 1;

    /// <summary>Payload schema version; the cloud rejects versions it does not know.</summary>
    public required int Schema { get; init; }

    /// <summary>The publishing edge; must match the topic's edge segment.</summary>
    public required string EdgeId { get; init; }

    /// <summary>Per-edge sequence number, +1 per batch, kept across restarts, so gaps and duplicates are visible.</summary>
    public required long Seq { get; init; }

    /// <summary>True when the batch was buffered while offline and is being replayed; samples keep their original timestamps.</summary>
    public bool Replayed { get; init; }

    /// <summary>When the edge published this batch (UTC, Unix ms).</summary>
    public required long SentUtcMs { get; init; }

    /// <summary>The samples, at most 5,000 per batch.</summary>
    public required IReadOnlyList<TelemetrySample> Samples { get; init; }
}

/// <summary>One reading of one point.</summary>
public sealed record TelemetrySample
{
    /// <summary>Device id within the site.</summary>
    public required string DeviceId { get; init; }

    /// <summary>Point id within the device's profile.</summary>
    public required string PointId { get; init; }

    /// <summary>When the value was read (UTC, Unix ms).</summary>
    public required long TimestampUtcMs { get; init; }

    /// <summary>Engineering value after scale and offset; states are 0/1 (or an enumeration code). Null when quality is bad and no value exists.</summary>
    public double? Value { get; init; }

    /// <summary>Quality of the value.</summary>
    public SampleQuality Quality { get; init; } = SampleQuality.Good;
}
