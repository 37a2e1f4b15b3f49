namespace PropertyEba.Modbus;

/// <summary>The slave answered with an exception response (function code with the high bit set).</summary>
public sealed class ModbusException : Exception
{
    /// <summary>Creates the exception from the parts of an exception response.</summary>
    /// <param name="unitId">The unit that answered.</param>
    /// <param name="functionCode">The function code of the request (without the 0x80 bit).</param>
    /// <param name="exceptionCode">The exception code the slave sent.</param>
    public ModbusException(byte unitId, byte functionCode, ModbusExceptionCode exceptionCode)
        : base($"Unit {unitId} answered function code {functionCode} with exception {(byte)exceptionCode} ({exceptionCode}).")
    {
        UnitId = unitId;
        FunctionCode = functionCode;
        ExceptionCode = exceptionCode;
    }

    /// <summary>The function code of the request (without the 0x80 bit).</summary>
    public byte FunctionCode { get; }

    /// <summary>The exception code the slave sent; may be a value outside the named ones.</summary>
    public ModbusExceptionCode ExceptionCode { get; }

    /// <summary>The unit id the answer came from.</summary>
    public byte UnitId { get; }
}
