namespace PropertyEba.Modbus.Codecs;

/// <summary>The encodings a point's raw Modbus data can have.</summary>
public enum ModbusDataType
{
    /// <summary>A coil or discrete input: 0 or 1.</summary>
    Bool,

    /// <summary>One bit of a 16-bit register (status words); the bit index is given separately.</summary>
    Bit,

    /// <summary>Signed 16-bit integer, one register.</summary>
    Int16,

    /// <summary>Unsigned 16-bit integer, one register.</summary>
    UInt16,

    /// <summary>Signed 32-bit integer, two registers.</summary>
    Int32,

    /// <summary>Unsigned 32-bit integer, two registers.</summary>
    UInt32,

    /// <summary>Signed 64-bit integer, four registers.</summary>
    Int64,

    /// <summary>Unsigned 64-bit integer, four registers.</summary>
    UInt64,

    /// <summary>IEEE 754 single precision, two registers.</summary>
    Float32,

    /// <summary>IEEE 754 double precision, four registers.</summary>
    Float64,

    /// <summary>ASCII text, two characters per register.</summary>
    String,
}
