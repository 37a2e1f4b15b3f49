using System.Net.Sockets;

namespace PropertyEba.Modbus.Rtu;

/// <summary>An RTU channel over a TCP connection to a serial device server; reconnects on the next open after a failure.</summary>
internal sealed class TcpStreamChannel(string host, int port) : IRtuChannel
{
    private readonly byte[] _drain = new byte[512];
    private Socket? _socket;

    public string Name => $"{host}:{port}";

    public async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        if (_socket is not null)
        {
            return;
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ModbusCommunicationException($"Cannot connect to {Name}: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
    }

    public int BytesAvailable
    {
        get
        {
            try
            {
                return _socket?.Available ?? 0;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return 0;
            }
        }
    }

    public void DiscardInput()
    {
        if (_socket is not { } socket)
        {
            return;
        }

        try
        {
            while (socket.Available > 0)
            {
                if (socket.Receive(_drain, SocketFlags.None) == 0)
                {
                    Close();
                    return;
                }
            }

            // Readable with nothing to read: the server closed the connection while we were idle.
            if (socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0)
            {
                Close();
            }
        }
        catch (SocketException)
        {
            Close();
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        if (_socket is null)
        {
            await OpenAsync(cancellationToken);
        }

        try
        {
            await _socket!.SendAsync(frame, SocketFlags.None, cancellationToken);
        }
        catch (SocketException ex)
        {
            Close();
            throw new ModbusCommunicationException($"Sending to {Name} failed: {ex.Message}", ex);
        }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new ModbusCommunicationException($"Not connected to {Name}.");
        int n;
        try
        {
            n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        }
        catch (SocketException ex)
        {
            Close();
            throw new ModbusCommunicationException($"Receiving from {Name} failed: {ex.Message}", ex);
        }

        if (n == 0)
        {
            Close();
            throw new ModbusCommunicationException($"{Name} closed the connection.");
        }

        return n;
    }

    public void Close()
    {
        var socket = _socket;
        _socket = null;
        socket?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
