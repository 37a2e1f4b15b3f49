using System.Diagnostics;
using System.IO.Ports;

namespace PropertyEba.Modbus.Rtu;

/// <summary>
/// An RTU channel on a local serial port through System.IO.Ports. With
/// <see cref="ModbusSerialOptions.Rs485DirectionControl"/> on, each frame is sent with the RS-485 driver
/// enabled, and the driver is released once the frame has had time to leave the line.
/// </summary>
/// <param name="options">The line.</param>
/// <param name="driverEnableFor">The driver-enable pin of a freshly opened port; used only with direction control on.</param>
internal sealed class SerialPortChannel(ModbusSerialOptions options, Func<SerialPort, IRs485DriverEnable> driverEnableFor) : IRtuChannel
{
    // Timers fire a millisecond or more late, and can fire early against the high-resolution clock: the last
    // stretch of a transmit hold is spun so the driver is never released before the last stop bit.
    private static readonly TimeSpan SpinThreshold = TimeSpan.FromMilliseconds(2);

    private readonly RtuTiming _timing = options.Timing;
    private SerialPort? _port;
    private IRs485DriverEnable? _driverEnable;

    /// <summary>A channel whose direction control, if on, drives the transceiver through RTS.</summary>
    public SerialPortChannel(ModbusSerialOptions options)
        : this(options, static port => new RtsDriverEnable(port))
    {
    }

    public string Name => options.PortName;

    public ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        if (_port is { IsOpen: true })
        {
            return ValueTask.CompletedTask;
        }

        var port = new SerialPort(options.PortName, options.BaudRate, options.Parity, options.DataBits, options.StopBits)
        {
            Handshake = Handshake.None,
            ReadBufferSize = 4096,
            WriteBufferSize = 4096,
        };
        try
        {
            port.Open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            throw new ModbusCommunicationException($"Cannot open serial port {options.PortName}: {ex.Message}", ex);
        }

        IRs485DriverEnable? driverEnable = null;
        if (options.Rs485DirectionControl)
        {
            try
            {
                // Listen until there is something to send. Switching now also tells at once, rather than on the
                // first request, that the port has no line to switch.
                driverEnable = driverEnableFor(port);
                driverEnable.Disable();
            }
            catch
            {
                port.Dispose();
                throw;
            }
        }

        _port = port;
        _driverEnable = driverEnable;
        return ValueTask.CompletedTask;
    }

    public int BytesAvailable
    {
        get
        {
            try
            {
                return _port is { IsOpen: true } port ? port.BytesToRead : 0;
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                return 0;
            }
        }
    }

    public void DiscardInput()
    {
        if (_port is { IsOpen: true } port)
        {
            port.DiscardInBuffer();
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        var port = _port ?? throw new ModbusCommunicationException($"Serial port {options.PortName} is not open.");
        try
        {
            if (_driverEnable is { } driverEnable)
            {
                await WriteDrivingTheBusAsync(port, driverEnable, frame, cancellationToken);
            }
            else
            {
                await port.BaseStream.WriteAsync(frame, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException)
        {
            Close();
            throw new ModbusCommunicationException($"Writing to serial port {options.PortName} failed: {ex.Message}", ex);
        }
        catch (ModbusCommunicationException)
        {
            Close();
            throw;
        }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var port = _port ?? throw new ModbusCommunicationException($"Serial port {options.PortName} is not open.");
        int n;
        try
        {
            // Bytes already in the driver are taken directly: System.IO.Ports on Linux hands an
            // asynchronous read to its I/O loop, whose wake-up costs about a millisecond per read.
            n = port.BytesToRead > 0
                ? port.BaseStream.Read(buffer.Span)
                : await port.BaseStream.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            Close();
            throw new ModbusCommunicationException($"Reading from serial port {options.PortName} failed: {ex.Message}", ex);
        }

        if (n == 0)
        {
            Close();
            throw new ModbusCommunicationException($"Serial port {options.PortName} was closed.");
        }

        return n;
    }

    public void Close()
    {
        var port = _port;
        _port = null;
        _driverEnable = null;
        port?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private async ValueTask WriteDrivingTheBusAsync(SerialPort port, IRs485DriverEnable driverEnable, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        driverEnable.Enable();
        try
        {
            await port.BaseStream.WriteAsync(frame, cancellationToken);

            // The write returns when the operating system has the bytes, not when they have left the UART.
            await HoldAsync(Stopwatch.GetTimestamp(), _timing.TransmitTime(frame.Length), cancellationToken);
        }
        catch
        {
            // Also when the write failed or was cancelled: a driver left enabled blocks the bus for every slave.
            // Should the release fail too, the first failure (or the caller's cancellation) is what is reported.
            try
            {
                driverEnable.Disable();
            }
            catch (ModbusCommunicationException)
            {
            }

            throw;
        }

        driverEnable.Disable();
    }

    // On the real clock, not a TimeProvider: the hold tracks bits leaving a UART, which no test clock drives.
    private static async ValueTask HoldAsync(long from, TimeSpan hold, CancellationToken cancellationToken)
    {
        var spinner = default(SpinWait);
        TimeSpan remaining;
        while ((remaining = hold - Stopwatch.GetElapsedTime(from)) > TimeSpan.Zero)
        {
            if (remaining > SpinThreshold)
            {
                await Task.Delay(remaining - SpinThreshold, cancellationToken);
            }
            else
            {
                cancellationToken.ThrowIfCancellationRequested();
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }
}
