namespace PropertyEba.Contracts.Mqtt;

/// <summary>Payload of <c>…/events</c>: something the edge noticed about its devices.</summary>
public sealed record EdgeEvent
{
    /// <summary>Payload schema version (1).</summary>
    public required int Schema { get; init; }

    /// <summary>The edge that noticed it.</summary>
    public required string EdgeId { get; init; }

    /// <summary>What happened: <c>device-comm-lost</c>, <c>device-comm-restored</c>, <c>buffer-overflow</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The device concerned, if any.</summary>
    public string? DeviceId { get; init; }

    /// <summary>Human-readable detail (the Modbus error, how many samples were dropped).</summary>
    public string? Detail { get; init; }

    /// <summary>When it happened (UTC, Unix ms).</summary>
    public required long TimestampUtcMs { get; init; }
}

/// <summary>The kinds of <see cref="EdgeEvent"/> version 1 defines.</summary>
public static class EdgeEventKinds
{
    /// <summary>A device stopped answering.</summary>
    public const string DeviceCommLost = "device-comm-lost";

    /// <summary>A device answers again.</summary>
    public const string DeviceCommRestored = "device-comm-restored";

    /// <summary>The offline buffer was full and the oldest batches were dropped.</summary>
    public const string BufferOverflow = "buffer-overflow";
}
