using System.Text.Json.Serialization;
using PropertyEba.Modbus.Codecs;

namespace PropertyEba.Modbus.Profiles;

/// <summary>One point of a device profile: where it lives in the register map and how it is encoded.</summary>
public sealed record PointDefinition
{
    /// <summary>Stable id within the profile, e.g. <c>pump1.running</c>; used in telemetry and alarm rules.</summary>
    public required string Id { get; init; }

    /// <summary>English display name.</summary>
    public required string Name { get; init; }

    /// <summary>Chinese display name (zh-CN), from the EBA point list where it has one.</summary>
    public string? NameZh { get; init; }

    /// <summary>Analog, state, counter or command.</summary>
    public required PointKind Kind { get; init; }

    /// <summary>The data table the point is read from.</summary>
    public required ModbusTable Table { get; init; }

    /// <summary>0-based address as on the wire (the protocol address, not the "40001" convention).</summary>
    public required ushort Address { get; init; }

    /// <summary>Encoding of the raw data; coils and discrete inputs are always <see cref="ModbusDataType.Bool"/>.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<ModbusDataType>))]
    public ModbusDataType Type { get; init; } = ModbusDataType.UInt16;

    /// <summary>Byte and word order of multi-register values.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<RegisterOrder>))]
    public RegisterOrder Order { get; init; } = RegisterOrder.ABCD;

    /// <summary>Bit index 0..15 for <see cref="ModbusDataType.Bit"/>.</summary>
    public int Bit { get; init; }

    /// <summary>Engineering value = raw × scale + offset.</summary>
    public double Scale { get; init; } = 1;

    /// <summary>Added after scaling.</summary>
    public double Offset { get; init; }

    /// <summary>Engineering unit: V, A, kW, kWh, kPa, m, °C, mΩ, m³, Hz, h; empty for states.</summary>
    public string? Unit { get; init; }

    /// <summary>Whether the cloud may write this point (commands such as fan on/off).</summary>
    public bool Writable { get; init; }

    /// <summary>For strings: the number of characters.</summary>
    public int Length { get; init; }

    /// <summary>
    /// Smallest change of the engineering value worth sending (report by exception); null: every change is
    /// sent. In the point's unit.
    /// </summary>
    public double? Deadband { get; init; }

    /// <summary>How much the point matters: normal, high, or alarm (polled first and sent at once on change).</summary>
    public PointCriticality Criticality { get; init; } = PointCriticality.Normal;

    /// <summary>Lowest engineering value the sensor can report; below it a reading is uncertain. Null: no limit.</summary>
    public double? Min { get; init; }

    /// <summary>Highest engineering value the sensor can report; above it a reading is uncertain. Null: no limit.</summary>
    public double? Max { get; init; }

    /// <summary>Number of registers (or bits, for coils and discrete inputs) the point spans.</summary>
    [JsonIgnore]
    public int Span => Table is ModbusTable.Coils or ModbusTable.DiscreteInputs ? 1 : RegisterCodec.RegisterCount(Type, Length);
}
