namespace PropertyEba.Modbus;

/// <summary>Exception codes a slave answers with (MODBUS Application Protocol v1.1b3, §7).</summary>
public enum ModbusExceptionCode : byte
{
    /// <summary>The function code is not supported by the slave.</summary>
    IllegalFunction = 1,

    /// <summary>The address, or address plus quantity, is outside what the slave serves.</summary>
    IllegalDataAddress = 2,

    /// <summary>A value in the request (quantity, byte count, coil value...) is not allowed.</summary>
    IllegalDataValue = 3,

    /// <summary>An unrecoverable error occurred while the slave performed the action.</summary>
    SlaveDeviceFailure = 4,

    /// <summary>The request was accepted but takes long; poll later.</summary>
    Acknowledge = 5,

    /// <summary>The slave is busy with a long command; retry later.</summary>
    SlaveDeviceBusy = 6,

    /// <summary>Parity error in extended file memory (function codes 20 and 21).</summary>
    MemoryParityError = 8,

    /// <summary>A gateway could not allocate a path to the target.</summary>
    GatewayPathUnavailable = 0x0A,

    /// <summary>A gateway got no answer from the target device.</summary>
    GatewayTargetFailedToRespond = 0x0B,
}
