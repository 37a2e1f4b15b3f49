using System.IO.Ports;

namespace PropertyEba.Modbus.Rtu;

/// <summary>An RTU channel on a local serial port through System.IO.Ports.</summary>
internal sealed class SerialPortChannel(ModbusSerialOptions options) : IRtuChannel
{
    private readonly RtuTiming _timing = options.Timing;
    private SerialPort? _port;

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
            if (options.Rs485DirectionControl)
            {
                port.RtsEnable = false;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            throw new ModbusCommunicationException($"Cannot open serial port {options.PortName}: {ex.Message}", ex);
        }

        _port = port;
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
            if (options.Rs485DirectionControl)
            {
                port.RtsEnable = true;
            }

            await port.BaseStream.WriteAsync(frame, cancellationToken);
            if (options.Rs485DirectionControl)
            {
                // The write returns when the driver has the bytes, not when they left the UART: hold the line until then.
                await Task.Delay(_timing.TransmitTime(frame.Length), cancellationToken);
                port.RtsEnable = false;
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException)
        {
            Close();
            throw new ModbusCommunicationException($"Writing to serial port {options.PortName} failed: {ex.Message}", ex);
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
        port?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
