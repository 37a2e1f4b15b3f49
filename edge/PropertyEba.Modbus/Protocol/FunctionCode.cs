namespace PropertyEba.Modbus.Protocol;

/// <summary>The public function codes this library implements (MODBUS Application Protocol v1.1b3, §6).</summary>
internal static class FunctionCode
{
    public const byte ReadCoils = 0x01;
    public const byte ReadDiscreteInputs = 0x02;
    public const byte ReadHoldingRegisters = 0x03;
    public const byte ReadInputRegisters = 0x04;
    public const byte WriteSingleCoil = 0x05;
    public const byte WriteSingleRegister = 0x06;
    public const byte WriteMultipleCoils = 0x0F;
    public const byte WriteMultipleRegisters = 0x10;
    public const byte ReadWriteMultipleRegisters = 0x17;
    public const byte EncapsulatedInterface = 0x2B;

    /// <summary>MEI type of Read Device Identification within function code 43.</summary>
    public const byte MeiReadDeviceIdentification = 0x0E;

    /// <summary>Set on the function code of an exception response.</summary>
    public const byte ExceptionFlag = 0x80;
}
