namespace PropertyEba.Modbus.Protocol;

/// <summary>Quantity limits the specification sets so that every PDU fits in 253 bytes.</summary>
internal static class ModbusLimits
{
    public const int MaxPduLength = 253;
    public const int MaxReadBits = 2000;
    public const int MaxReadRegisters = 125;
    public const int MaxWriteCoils = 1968;
    public const int MaxWriteRegisters = 123;
    public const int MaxReadWriteReadRegisters = 125;
    public const int MaxReadWriteWriteRegisters = 121;
}
