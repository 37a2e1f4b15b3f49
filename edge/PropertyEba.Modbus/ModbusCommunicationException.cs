namespace PropertyEba.Modbus;

/// <summary>
/// A transaction failed below the Modbus application layer: the connection broke, the reply did not
/// come in time, or what came was not a valid reply. Base class of <see cref="ModbusTimeoutException"/>,
/// <see cref="ModbusProtocolException"/> and <see cref="ModbusConfigurationException"/>.
/// </summary>
public class ModbusCommunicationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModbusCommunicationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModbusCommunicationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public ModbusCommunicationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
