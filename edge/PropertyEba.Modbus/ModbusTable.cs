using System.Text.Json.Serialization;

namespace PropertyEba.Modbus;

/// <summary>The four Modbus data tables (MODBUS Application Protocol v1.1b3, §4.3).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModbusTable>))]
public enum ModbusTable
{
    /// <summary>Read-write single bits (function codes 01, 05, 15).</summary>
    [JsonStringEnumMemberName("coil")]
    Coils,

    /// <summary>Read-only single bits (function code 02).</summary>
    [JsonStringEnumMemberName("discrete")]
    DiscreteInputs,

    /// <summary>Read-write 16-bit registers (function codes 03, 06, 16, 23).</summary>
    [JsonStringEnumMemberName("holding")]
    HoldingRegisters,

    /// <summary>Read-only 16-bit registers (function code 04).</summary>
    [JsonStringEnumMemberName("input")]
    InputRegisters,
}
