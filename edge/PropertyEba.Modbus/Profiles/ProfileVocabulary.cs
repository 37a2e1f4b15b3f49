using PropertyEba.Modbus.Codecs;

namespace PropertyEba.Modbus.Profiles;

/// <summary>
/// The JSON spellings of the profile format's enumerated fields, in one place: the reader accepts them, the
/// error messages list them, and a test checks that docs/profiles.md and the JSON schema list every one.
/// Kept as explicit tables rather than read from attributes by reflection so a trimmed build keeps them.
/// </summary>
public static class ProfileVocabulary
{
    /// <summary>Spellings of <see cref="ModbusTable"/> (field <c>table</c>).</summary>
    public static readonly IReadOnlyList<(string Json, ModbusTable Value)> Tables =
    [
        ("coil", ModbusTable.Coils), ("discrete", ModbusTable.DiscreteInputs), ("holding", ModbusTable.HoldingRegisters), ("input", ModbusTable.InputRegisters),
    ];

    /// <summary>Spellings of <see cref="PointKind"/> (field <c>kind</c>).</summary>
    public static readonly IReadOnlyList<(string Json, PointKind Value)> Kinds =
    [
        ("analog", PointKind.Analog), ("state", PointKind.State), ("counter", PointKind.Counter), ("command", PointKind.Command),
    ];

    /// <summary>Spellings of <see cref="PointCriticality"/> (field <c>criticality</c>).</summary>
    public static readonly IReadOnlyList<(string Json, PointCriticality Value)> Criticalities =
    [
        ("normal", PointCriticality.Normal), ("high", PointCriticality.High), ("alarm", PointCriticality.Alarm),
    ];

    /// <summary>Spellings of <see cref="ModbusDataType"/> (field <c>type</c>; read case-insensitively).</summary>
    public static readonly IReadOnlyList<(string Json, ModbusDataType Value)> Types =
    [
        ("Bool", ModbusDataType.Bool), ("Bit", ModbusDataType.Bit), ("Int16", ModbusDataType.Int16), ("UInt16", ModbusDataType.UInt16),
        ("Int32", ModbusDataType.Int32), ("UInt32", ModbusDataType.UInt32), ("Int64", ModbusDataType.Int64), ("UInt64", ModbusDataType.UInt64),
        ("Float32", ModbusDataType.Float32), ("Float64", ModbusDataType.Float64), ("String", ModbusDataType.String),
    ];

    /// <summary>Spellings of <see cref="RegisterOrder"/> (field <c>order</c>; read case-insensitively).</summary>
    public static readonly IReadOnlyList<(string Json, RegisterOrder Value)> Orders =
    [
        ("ABCD", RegisterOrder.ABCD), ("CDAB", RegisterOrder.CDAB), ("BADC", RegisterOrder.BADC), ("DCBA", RegisterOrder.DCBA),
    ];

    /// <summary>Spellings of the <c>byteOrder</c> and <c>wordOrder</c> fields, an alternative to <c>order</c>.</summary>
    public static readonly IReadOnlyList<string> Endianness = ["big", "little"];

    /// <summary>Allowed values of <c>system</c>.</summary>
    public static readonly IReadOnlyList<string> Systems = ["power", "water", "fire", "hvac", "elevator"];

    /// <summary>Allowed values of <c>addressBase</c>.</summary>
    public static readonly IReadOnlyList<int> AddressBases = [0, 1];

    /// <summary>The JSON spelling of a table.</summary>
    public static string Json(ModbusTable table) => Tables.First(t => t.Value == table).Json;

    /// <summary>The JSON spelling of a kind.</summary>
    public static string Json(PointKind kind) => Kinds.First(t => t.Value == kind).Json;

    /// <summary>The JSON spelling of a criticality.</summary>
    public static string Json(PointCriticality criticality) => Criticalities.First(t => t.Value == criticality).Json;

    /// <summary>Finds the value spelled <paramref name="json"/> (case-insensitively), or null.</summary>
    public static T? Find<T>(IReadOnlyList<(string Json, T Value)> table, string? json)
        where T : struct, Enum
    {
        foreach (var (name, value) in table)
        {
            if (string.Equals(name, json, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The spellings as a comma-separated list, for "allowed" texts.</summary>
    public static string List<T>(IReadOnlyList<(string Json, T Value)> table) => string.Join(", ", table.Select(t => t.Json));
}
