namespace PropertyEba.Modbus;

/// <summary>
/// Optional second interface of an <see cref="IModbusSlaveUnit"/>: the objects it reports for
/// function code 43 / MEI type 14 (Read Device Identification). A unit without it answers that
/// function with <see cref="ModbusExceptionCode.IllegalFunction"/>.
/// </summary>
public interface IModbusDeviceIdentification
{
    /// <summary>Object id to ASCII value, e.g. 0 = VendorName, 1 = ProductCode, 2 = MajorMinorRevision.</summary>
    IReadOnlyDictionary<byte, string> DeviceIdentification { get; }
}
