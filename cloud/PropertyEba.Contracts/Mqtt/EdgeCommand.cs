using System.Text.Json.Serialization;

namespace PropertyEba.Contracts.Mqtt;

/// <summary>
/// Payload of <c>…/cmd/{id}</c> (cloud → edge, QoS 1, not retained): write one value to one writable point of a device
/// (fan on/off, a setpoint). The edge writes it, reads it back and answers on <c>…/cmd-result/{id}</c>.
/// </summary>
public sealed record EdgeCommand
{
    /// <summary>Payload schema version (1).</summary>
    public required int Schema { get; init; }

    /// <summary>The command's id; equals the topic's <c>{id}</c> (an id of 1..64 of [A-Za-z0-9_-]).</summary>
    public required string CommandId { get; init; }

    /// <summary>The device within the site.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The point of the device's profile to write; the profile must mark it writable.</summary>
    public required string PointId { get; init; }

    /// <summary>The engineering value to write (states: 0 / 1); the edge applies the point's scale and offset.</summary>
    public required double Value { get; init; }

    /// <summary>When the cloud issued the command (UTC, Unix ms).</summary>
    public required long IssuedUtcMs { get; init; }

    /// <summary>After this instant (UTC, Unix ms) the edge no longer executes the command: a stale write is refused.</summary>
    public required long ExpiresUtcMs { get; init; }

    /// <summary>Who asked (the user name), for the edge's log.</summary>
    public string? IssuedBy { get; init; }
}

/// <summary>Payload of <c>…/cmd-result/{id}</c> (edge → cloud, QoS 1): what became of <c>cmd/{id}</c>.</summary>
public sealed record EdgeCommandResult
{
    /// <summary>Payload schema version (1).</summary>
    public required int Schema { get; init; }

    /// <summary>The edge that handled the command; equals the topic's <c>{edge}</c>.</summary>
    public required string EdgeId { get; init; }

    /// <summary>The command's id; equals the topic's <c>{id}</c>.</summary>
    public required string CommandId { get; init; }

    /// <summary>The device of the command, when the command could be read.</summary>
    public string? DeviceId { get; init; }

    /// <summary>The point of the command, when the command could be read.</summary>
    public string? PointId { get; init; }

    /// <summary>What happened.</summary>
    public required CommandOutcome Outcome { get; init; }

    /// <summary>Why it was rejected or failed (English, for logs and engineers); absent when ok.</summary>
    public string? Reason { get; init; }

    /// <summary>The Modbus exception code the device answered with (failed with an exception response).</summary>
    public int? ModbusException { get; init; }

    /// <summary>The engineering value read back after the write (ok, read-back-mismatch).</summary>
    public double? ReadBack { get; init; }

    /// <summary>When the edge finished with the command (UTC, Unix ms).</summary>
    public required long TimestampUtcMs { get; init; }
}

/// <summary>How a command ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CommandOutcome>))]
public enum CommandOutcome
{
    /// <summary>Written, and the value read back equals it.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>Not executed: invalid, not writable, out of range, expired, unknown device or point.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,

    /// <summary>Executed but the device did not take it: a Modbus exception, no answer.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Written, but the value read back differs (the device overrode it: local mode, interlock).</summary>
    [JsonStringEnumMemberName("read-back-mismatch")]
    ReadBackMismatch,
}
