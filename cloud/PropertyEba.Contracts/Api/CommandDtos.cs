using System.Text.Json;
using System.Text.Json.Serialization;

namespace PropertyEba.Contracts.Api;

/// <summary>
/// An engineer's command to a writable point of a device (fan on/off, a setpoint). <paramref name="EdgeId"/> is the
/// edge that polls the device; it may be left out when the site has one edge. The edge refuses the command once
/// <paramref name="ExpiresInSeconds"/> (default 30, 1..600) have passed, so a command delayed by a bad link never runs late.
/// </summary>
public sealed record SendCommandRequest(string? PointId, double? Value, string? EdgeId = null, int? ExpiresInSeconds = null);

/// <summary>Where a command is: sent and waiting for the edge, or how it ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CommandState>))]
public enum CommandState
{
    /// <summary>Sent to the edge; no result yet.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>Written and read back equal.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>The edge refused it (not writable, out of range, expired, unknown device or point).</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,

    /// <summary>The device did not take it (Modbus exception, no answer), or the broker could not be reached.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Written, but the value read back differs.</summary>
    [JsonStringEnumMemberName("read-back-mismatch")]
    ReadBackMismatch,

    /// <summary>No result came before the command expired.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,
}

/// <summary>A command and its outcome as far as the cloud knows it.</summary>
public sealed record CommandDto(
    string CommandId,
    string SiteId,
    string EdgeId,
    string DeviceId,
    string PointId,
    double Value,
    CommandState State,
    string? Reason,
    double? ReadBack,
    int? ModbusException,
    string IssuedBy,
    DateTimeOffset IssuedUtc,
    DateTimeOffset ExpiresUtc,
    DateTimeOffset? CompletedUtc);

/// <summary>
/// The configuration the cloud wants an edge to run: <paramref name="Edge"/> has the shape of the edge's <c>Edge</c>
/// section (devices, pollInterval, modbusTimeout, modbusRetries, commLossThreshold, maxRegisterGap, maxBitGap), and
/// <paramref name="Version"/> names it (1..64 characters; default: the time it was set).
/// </summary>
public sealed record DesiredConfigRequest(JsonElement? Edge, string? Version = null);

/// <summary>What the cloud asked an edge to run and what the edge reports it runs (from its latest status).</summary>
public sealed record EdgeConfigStatusDto(string SiteId, string EdgeId, string? DesiredVersion, string? AppliedVersion, string? RejectedVersion, IReadOnlyList<string> RejectionReasons);
