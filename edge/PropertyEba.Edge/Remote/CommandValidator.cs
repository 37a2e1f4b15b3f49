using PropertyEba.Contracts.Mqtt;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Remote;

/// <summary>A device commands can reach: its options, its profile and the connection it is polled through.</summary>
internal sealed record DeviceTarget(EdgeDeviceOptions Device, DeviceProfile Profile, Polling.ModbusConnection Connection);

/// <summary>A command that passed <see cref="CommandValidator"/>: the point to write and the registers (or coil) that carry the value.</summary>
internal sealed record ValidatedCommand(EdgeCommand Command, EdgeDeviceOptions Device, PointDefinition Point, bool? Coil, ushort[]? Registers);

/// <summary>
/// Decides whether a command may be executed, before anything goes to a device: the payload is well formed and is
/// for the topic it came on, it has not expired, the device and point exist, the profile marks the point writable,
/// the point is in a writable table, and the value fits the point's type exactly (never clamped: a setpoint of
/// 70,000 for a 16-bit register is refused, not written as 65,535). Pure, so every rule is tested without a device.
/// </summary>
internal static class CommandValidator
{
    /// <summary>The longest a command may stay executable: a command issued with a later expiry is refused.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Either the command to execute, or the reason it is refused.</summary>
    public static (ValidatedCommand? Command, string? Rejection) Validate(
        EdgeCommand command,
        string topicCommandId,
        IReadOnlyDictionary<string, DeviceTarget> devices,
        DateTimeOffset now)
    {
        if (command.Schema != 1)
        {
            return (null, $"schema {command.Schema} is not supported; this edge reads schema 1");
        }

        if (command.CommandId != topicCommandId)
        {
            return (null, $"commandId '{command.CommandId}' differs from the topic's '{topicCommandId}'");
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        if (nowMs > command.ExpiresUtcMs)
        {
            return (null, $"expired {TimeSpan.FromMilliseconds(nowMs - command.ExpiresUtcMs).TotalSeconds:0.#} s ago (expiresUtcMs {command.ExpiresUtcMs}); a stale command is not executed");
        }

        if (command.ExpiresUtcMs - nowMs > (long)MaxLifetime.TotalMilliseconds)
        {
            return (null, $"expiresUtcMs {command.ExpiresUtcMs} is more than {MaxLifetime.TotalMinutes:0} minutes ahead; give a shorter expiry");
        }

        if (!devices.TryGetValue(command.DeviceId, out var entry))
        {
            return (null, $"device '{command.DeviceId}' is not configured on this edge; configured: {string.Join(", ", devices.Keys.Order(StringComparer.Ordinal))}");
        }

        var point = entry.Profile.Points.FirstOrDefault(p => p.Id == command.PointId);
        if (point is null)
        {
            return (null, $"point '{command.PointId}' is not in profile '{entry.Profile.Model}' of device '{command.DeviceId}'");
        }

        var writable = entry.Profile.Points.Where(p => p.Writable).Select(p => p.Id).ToList();
        if (!point.Writable)
        {
            return (null, $"point '{command.PointId}' of device '{command.DeviceId}' is not writable; writable points: {(writable.Count == 0 ? "none" : string.Join(", ", writable))}");
        }

        if (!double.IsFinite(command.Value))
        {
            return (null, "value is not a finite number");
        }

        switch (point.Table)
        {
            case ModbusTable.Coils:
                return command.Value is 0 or 1
                    ? (new ValidatedCommand(command, entry.Device, point, command.Value == 1, null), null)
                    : (null, $"value {command.Value} is out of range for coil '{point.Id}': use 0 (off) or 1 (on)");
            case ModbusTable.HoldingRegisters:
                return EncodeRegisters(command, entry.Device, point);
            default:
                return (null, $"point '{point.Id}' is in the {point.Table} table, which Modbus cannot write; only coils and holding registers are writable");
        }
    }

    private static (ValidatedCommand?, string?) EncodeRegisters(EdgeCommand command, EdgeDeviceOptions device, PointDefinition point)
    {
        if (point.Type is ModbusDataType.String or ModbusDataType.Bit)
        {
            // A bit shares its register with other points: writing it would need a read-modify-write the device does not make atomic.
            return (null, $"point '{point.Id}' is a {point.Type}, which commands cannot write; write a whole register or a coil");
        }

        if (point.Type == ModbusDataType.Bool && command.Value is not (0 or 1))
        {
            return (null, $"value {command.Value} is out of range for '{point.Id}' (Bool): use 0 or 1");
        }

        var raw = point.Scale == 0 ? 0 : (command.Value - point.Offset) / point.Scale;
        var (min, max, integer) = point.Type switch
        {
            ModbusDataType.Bool => (0d, 1d, true),
            ModbusDataType.Int16 => (short.MinValue, short.MaxValue, true),
            ModbusDataType.UInt16 => (ushort.MinValue, ushort.MaxValue, true),
            ModbusDataType.Int32 => (int.MinValue, int.MaxValue, true),
            ModbusDataType.UInt32 => (uint.MinValue, uint.MaxValue, true),
            ModbusDataType.Int64 => (long.MinValue, long.MaxValue, true),
            ModbusDataType.UInt64 => (0d, ulong.MaxValue, true),
            ModbusDataType.Float32 => (float.MinValue, float.MaxValue, false),
            _ => (double.MinValue, double.MaxValue, false),
        };
        var rounded = integer ? Math.Round(raw) : raw;
        if (rounded < min || rounded > max)
        {
            var lo = (min * point.Scale) + point.Offset;
            var hi = (max * point.Scale) + point.Offset;
            return (null, $"value {command.Value} is out of range for '{point.Id}' ({point.Type}, scale {point.Scale}, offset {point.Offset}): allowed {Math.Min(lo, hi)} .. {Math.Max(lo, hi)}");
        }

        var registers = new ushort[point.Span];
        RegisterCodec.Encode(command.Value, registers, point.Type, point.Order, point.Bit, point.Scale, point.Offset);
        return (new ValidatedCommand(command, device, point, null, registers), null);
    }
}
