namespace PropertyEba.Modbus;

/// <summary>A frame or reply broke the protocol: bad CRC, bad MBAP header, wrong length, or a reply that does not answer the request.</summary>
public sealed class ModbusProtocolException : ModbusCommunicationException
{
    /// <summary>Creates the exception.</summary>
    public ModbusProtocolException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModbusProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public ModbusProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
