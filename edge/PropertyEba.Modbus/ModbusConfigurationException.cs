namespace PropertyEba.Modbus;

/// <summary>
/// The line cannot work as configured (e.g. RS-485 direction control on a port without an RTS line).
/// Retrying cannot help, so the master reports it at once instead of retrying and reporting whatever the
/// retry ran into.
/// </summary>
public sealed class ModbusConfigurationException : ModbusCommunicationException
{
    /// <summary>Creates the exception.</summary>
    public ModbusConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModbusConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public ModbusConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
