namespace PropertyEba.Modbus;

/// <summary>No valid reply arrived within the transaction timeout (after all retries).</summary>
public sealed class ModbusTimeoutException : ModbusCommunicationException
{
    /// <summary>Creates the exception.</summary>
    public ModbusTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModbusTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public ModbusTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
