using System.Text.Json;

namespace PropertyEba.Contracts.Mqtt;

/// <summary>
/// Payload of the retained <c>…/config</c> topic (cloud → edge, QoS 1): the configuration the cloud wants the edge to
/// run. The edge validates it, applies it without a restart (or keeps what it runs when it is invalid) and reports the
/// outcome in its <c>status</c> (<see cref="EdgeStatus.ConfigVersion"/>, <see cref="EdgeStatus.ConfigRejected"/>).
/// </summary>
public sealed record EdgeDesiredConfig
{
    /// <summary>Payload schema version (1).</summary>
    public required int Schema { get; init; }

    /// <summary>The cloud's name for this configuration (1..64 printable characters), reported back once applied.</summary>
    public required string Version { get; init; }

    /// <summary>
    /// The part of the edge's <c>Edge</c> configuration section the cloud may set, in the same shape as appsettings.json:
    /// <c>devices</c>, <c>pollInterval</c>, <c>modbusTimeout</c>, <c>modbusRetries</c>, <c>commLossThreshold</c>,
    /// <c>maxRegisterGap</c>, <c>maxBitGap</c>. The edge's identity, broker and buffer stay local.
    /// </summary>
    public required JsonElement Edge { get; init; }
}

/// <summary>A desired configuration the edge refused, and why (in <see cref="EdgeStatus.ConfigRejected"/>).</summary>
public sealed record ConfigRejection
{
    /// <summary>The version that was refused (as given, or empty when the payload had none).</summary>
    public required string Version { get; init; }

    /// <summary>Every problem found: field, value, what is allowed.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }
}
