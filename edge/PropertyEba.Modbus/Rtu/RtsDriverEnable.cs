using System.IO.Ports;

namespace PropertyEba.Modbus.Rtu;

/// <summary>
/// The driver-enable pin of an RS-485 transceiver wired to the RTS line of the serial port, as on adapters
/// without automatic direction control: RTS high drives the bus, RTS low listens.
/// </summary>
internal sealed class RtsDriverEnable(SerialPort port) : IRs485DriverEnable
{
    // Linux refuses the modem-control ioctl with ENOTTY on a tty that has no such lines (a pseudo-terminal,
    // some virtual ports), and some USB serial drivers with EINVAL. System.IO.Ports on Unix puts the errno
    // in the HResult of the IOException.
    private const int NotATypewriter = 25;
    private const int InvalidArgument = 22;

    public void Enable() => SetRts(true);

    public void Disable() => SetRts(false);

    private void SetRts(bool high)
    {
        try
        {
            port.RtsEnable = high;
        }
        catch (IOException ex) when (ex.HResult is NotATypewriter or InvalidArgument)
        {
            throw new ModbusConfigurationException(
                $"Serial port {port.PortName} has no RTS (modem-control) line, so RS-485 direction control "
                + $"({nameof(ModbusSerialOptions.Rs485DirectionControl)}) cannot switch its transceiver ({ex.Message}). "
                + $"Turn {nameof(ModbusSerialOptions.Rs485DirectionControl)} off if the adapter switches direction by itself, "
                + "or use a port whose RTS is wired to the transceiver's driver-enable pin.",
                ex);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            throw new ModbusCommunicationException($"Cannot switch RTS on serial port {port.PortName} for RS-485 direction control: {ex.Message}", ex);
        }
    }
}
