using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;

namespace PropertyEba.Edge.Configuration.Import;

/// <summary>
/// The column layout of one vendor's register list: which header names the columns, how addresses are
/// numbered and how the vendor spells data types. docs/edge.md ("Register-map import") documents both shipped layouts.
/// </summary>
/// <param name="Name">The layout's name on the command line (<c>--layout</c>).</param>
/// <param name="Description">One line for the usage text.</param>
/// <param name="Address">Header of the register column.</param>
/// <param name="AddressFormat">How the register column is written.</param>
/// <param name="Id">Header of a column giving the point id, or null to derive the id from <paramref name="Name2"/>.</param>
/// <param name="NameColumn">Header of the (English) name column.</param>
/// <param name="Name2">Header of the second name column (Chinese for Acrel, null otherwise).</param>
/// <param name="DataType">Header of the data type column.</param>
/// <param name="Scale">Header of the scale/multiplier column, or null.</param>
/// <param name="Unit">Header of the unit column.</param>
/// <param name="Access">Header of the read/write column.</param>
/// <param name="Size">Header of a column giving each value's size in registers (checked against the type), or null.</param>
/// <param name="Types">The vendor's type spellings (upper case) and what they mean.</param>
public sealed record RegisterMapLayout(
    string Name,
    string Description,
    string Address,
    AddressFormat AddressFormat,
    string? Id,
    string NameColumn,
    string? Name2,
    string DataType,
    string? Scale,
    string Unit,
    string Access,
    string? Size,
    IReadOnlyDictionary<string, (ModbusDataType Type, RegisterOrder Order)> Types)
{
    /// <summary>
    /// An Acrel (安科瑞) multifunction meter sheet, as in the ADL/ACR/AMC manuals' 通讯地址表: Chinese headers,
    /// addresses in hexadecimal protocol addresses ("0061H"), function code 03 (holding registers), 倍率 a multiplier.
    /// </summary>
    public static readonly RegisterMapLayout Acrel = new(
        "acrel",
        "Acrel (安科瑞) meter sheet: 序号, 地址 (hex, e.g. 0061H), 参数名称, Parameter, 数据类型, 倍率, 单位, 读写",
        Address: "地址",
        AddressFormat.HexProtocol,
        Id: null,
        NameColumn: "Parameter",
        Name2: "参数名称",
        DataType: "数据类型",
        Scale: "倍率",
        Unit: "单位",
        Access: "读写",
        Size: null,
        new Dictionary<string, (ModbusDataType, RegisterOrder)>(StringComparer.OrdinalIgnoreCase)
        {
            ["INT16"] = (ModbusDataType.Int16, RegisterOrder.ABCD),
            ["UINT16"] = (ModbusDataType.UInt16, RegisterOrder.ABCD),
            ["INT32"] = (ModbusDataType.Int32, RegisterOrder.ABCD),
            ["UINT32"] = (ModbusDataType.UInt32, RegisterOrder.ABCD),
            ["LONG"] = (ModbusDataType.Int32, RegisterOrder.ABCD),
            ["FLOAT"] = (ModbusDataType.Float32, RegisterOrder.ABCD),
            ["FLOAT32"] = (ModbusDataType.Float32, RegisterOrder.ABCD),
            ["FLOAT(CDAB)"] = (ModbusDataType.Float32, RegisterOrder.CDAB),
            ["BIT"] = (ModbusDataType.Bit, RegisterOrder.ABCD),
        });

    /// <summary>
    /// A Schneider PowerLogic PM5000-style register list: English headers, 1-based register numbers (as the
    /// PM5xxx lists print them: 3028 is protocol address 3027), holding registers, types FLOAT32 / INT16U / INT64 ...
    /// </summary>
    public static readonly RegisterMapLayout SchneiderPm = new(
        "schneider-pm",
        "Schneider PM5000-style list: Register (1-based), Action (R, RW, W), Size, Type, Units, Scale, Description",
        Address: "Register",
        AddressFormat.OneBased,
        Id: null,
        NameColumn: "Description",
        Name2: null,
        DataType: "Type",
        Scale: "Scale",
        Unit: "Units",
        Access: "Action",
        Size: "Size",
        new Dictionary<string, (ModbusDataType, RegisterOrder)>(StringComparer.OrdinalIgnoreCase)
        {
            ["INT16"] = (ModbusDataType.Int16, RegisterOrder.ABCD),
            ["INT16U"] = (ModbusDataType.UInt16, RegisterOrder.ABCD),
            ["INT32"] = (ModbusDataType.Int32, RegisterOrder.ABCD),
            ["INT32U"] = (ModbusDataType.UInt32, RegisterOrder.ABCD),
            ["INT64"] = (ModbusDataType.Int64, RegisterOrder.ABCD),
            ["INT64U"] = (ModbusDataType.UInt64, RegisterOrder.ABCD),
            ["FLOAT32"] = (ModbusDataType.Float32, RegisterOrder.ABCD),
            ["FLOAT64"] = (ModbusDataType.Float64, RegisterOrder.ABCD),
        });

    /// <summary>The shipped layouts.</summary>
    public static readonly IReadOnlyList<RegisterMapLayout> All = [Acrel, SchneiderPm];

    /// <summary>The table every point of these sheets is in (both vendors serve their maps as holding registers).</summary>
    public ModbusTable Table => ModbusTable.HoldingRegisters;
}

/// <summary>How a sheet writes register addresses.</summary>
public enum AddressFormat
{
    /// <summary>Hexadecimal protocol address: <c>0061H</c>, <c>0x0061</c> or <c>61</c>.</summary>
    HexProtocol,

    /// <summary>Decimal 1-based register number: <c>3028</c> is protocol address 3027.</summary>
    OneBased,
}
