using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace PropertyEba.Modbus.Tcp;

/// <summary>
/// Modbus TCP client side: MBAP framing, transaction ids, connect on demand. A reply whose transaction
/// or unit id does not match (a late reply to an earlier, timed-out request, or a stray) is discarded
/// and the wait goes on. After a timeout the connection is dropped and reopened by the next attempt,
/// because a silent connection may be half-open (a gateway or NAT forgot it) and only a new one
/// tells. An idle connection is probed before use, so a slave's idle close costs no failed attempt.
/// </summary>
internal sealed class TcpMasterTransport : IModbusTransport
{
    private static readonly TimeSpan IdleProbeAfter = TimeSpan.FromMilliseconds(500);

    private readonly ModbusTcpMasterOptions _options;
    private readonly MbapFrameReader _reader = new();
    private readonly byte[] _send = new byte[MbapHeader.Size + 253];
    private readonly TransactionDeadline _deadline;
    private Socket? _socket;
    private ushort _transactionId;
    private long _lastActivity;
    private long _discardedReplies;

    public TcpMasterTransport(ModbusTcpMasterOptions options)
    {
        _options = options;
        _deadline = new TransactionDeadline(options.TimeProvider);
    }

    public bool BroadcastsWithoutReply => false;

    /// <summary>Replies thrown away because their transaction or unit id matched no open request.</summary>
    public long DiscardedReplies => Interlocked.Read(ref _discardedReplies);

    public ValueTask<int> TransactAsync(byte unitId, ReadOnlyMemory<byte> request, Memory<byte> response, CancellationToken cancellationToken) =>
        _options.BlockingIo
            ? new ValueTask<int>(TransactBlocking(unitId, request.Span, response.Span, cancellationToken))
            : TransactAsyncCore(unitId, request, response, cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> TransactAsyncCore(byte unitId, ReadOnlyMemory<byte> request, Memory<byte> response, CancellationToken cancellationToken)
    {
        var token = _deadline.Start(_options.Timeout, cancellationToken);
        try
        {
            var socket = await ConnectedSocketAsync(token);
            var transactionId = ++_transactionId;
            MbapHeader.Write(_send, transactionId, unitId, request.Length);
            request.Span.CopyTo(_send.AsSpan(MbapHeader.Size));
            await socket.SendAsync(_send.AsMemory(0, MbapHeader.Size + request.Length), SocketFlags.None, token);

            var functionCode = request.Span[0];
            while (true)
            {
                var frame = await _reader.ReadFrameAsync(socket, token);
                var header = MbapHeader.Read(frame.Span);
                if (header.TransactionId != transactionId || header.UnitId != unitId)
                {
                    Interlocked.Increment(ref _discardedReplies);
                    continue;
                }

                var pdu = frame.Span[MbapHeader.Size..];
                if (!Protocol.ResponsePdu.Answers(pdu, functionCode))
                {
                    throw new ModbusProtocolException($"Reply to function code {functionCode} carries function code {pdu[0]}.");
                }

                pdu.CopyTo(response.Span);
                _lastActivity = _options.TimeProvider.GetTimestamp();
                return pdu.Length;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Disconnect();
            throw new ModbusTimeoutException($"No reply from unit {unitId} at {_options.Host}:{_options.Port} within {_options.Timeout.TotalMilliseconds:0} ms.");
        }
        catch (OperationCanceledException)
        {
            // The caller gave up mid-transaction: the reply may still come, so start clean next time.
            Disconnect();
            throw;
        }
        catch (ModbusCommunicationException)
        {
            Disconnect();
            throw;
        }
        catch (SocketException ex)
        {
            Disconnect();
            throw new ModbusCommunicationException($"Modbus TCP connection to {_options.Host}:{_options.Port} failed: {ex.Message}", ex);
        }
        catch (ObjectDisposedException ex)
        {
            Disconnect();
            throw new ModbusCommunicationException($"Modbus TCP connection to {_options.Host}:{_options.Port} was closed.", ex);
        }
        finally
        {
            _deadline.Stop();
        }
    }

    // The blocking mode. Its socket never touches the asynchronous engine: once a socket has, the runtime
    // emulates blocking calls through that engine and the thread hand-off this mode exists to avoid comes back.
    private int TransactBlocking(byte unitId, ReadOnlySpan<byte> request, Span<byte> response, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_socket is { } existing && PeerClosedWhileIdle(existing))
        {
            Disconnect();
        }

        Socket socket;
        try
        {
            socket = _socket ?? ConnectBlocking();
        }
        catch (SocketException ex)
        {
            Disconnect();
            throw ex.SocketErrorCode == SocketError.TimedOut
                ? new ModbusTimeoutException($"Could not connect to {_options.Host}:{_options.Port} within {_options.Timeout.TotalMilliseconds:0} ms.", ex)
                : new ModbusCommunicationException($"Modbus TCP connection to {_options.Host}:{_options.Port} failed: {ex.Message}", ex);
        }

        // A caller's cancellation interrupts a blocking call only by closing the socket.
        using var cancel = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((Socket)state!).Dispose(), socket)
            : default;
        var started = _options.TimeProvider.GetTimestamp();
        try
        {
            var transactionId = ++_transactionId;
            MbapHeader.Write(_send, transactionId, unitId, request.Length);
            request.CopyTo(_send.AsSpan(MbapHeader.Size));
            socket.Send(_send.AsSpan(0, MbapHeader.Size + request.Length), SocketFlags.None);

            var functionCode = request[0];
            while (true)
            {
                var frame = _reader.ReadFrame(socket).Span;
                var header = MbapHeader.Read(frame);
                if (header.TransactionId != transactionId || header.UnitId != unitId)
                {
                    Interlocked.Increment(ref _discardedReplies);
                    if (_options.TimeProvider.GetElapsedTime(started) >= _options.Timeout)
                    {
                        throw new SocketException((int)SocketError.TimedOut);
                    }

                    continue;
                }

                var pdu = frame[MbapHeader.Size..];
                if (!Protocol.ResponsePdu.Answers(pdu, functionCode))
                {
                    throw new ModbusProtocolException($"Reply to function code {functionCode} carries function code {pdu[0]}.");
                }

                pdu.CopyTo(response);
                _lastActivity = _options.TimeProvider.GetTimestamp();
                return pdu.Length;
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is SocketException or ObjectDisposedException or ModbusCommunicationException)
        {
            Disconnect();
            throw new OperationCanceledException(cancellationToken);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            Disconnect();
            throw new ModbusTimeoutException($"No reply from unit {unitId} at {_options.Host}:{_options.Port} within {_options.Timeout.TotalMilliseconds:0} ms.");
        }
        catch (ModbusCommunicationException)
        {
            Disconnect();
            throw;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Disconnect();
            throw new ModbusCommunicationException($"Modbus TCP connection to {_options.Host}:{_options.Port} failed: {ex.Message}", ex);
        }
    }

    // A blocking connect has no timeout of its own, and a socket that was ever non-blocking stays on the
    // runtime's slow emulated path: connect blocking and let a timer close the socket if it takes too long.
    private Socket ConnectBlocking()
    {
        var addresses = System.Net.Dns.GetHostAddresses(_options.Host);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var socket = new Socket(addresses[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var timedOut = 0;
        try
        {
            using (_options.TimeProvider.CreateTimer(
                _ =>
                {
                    Volatile.Write(ref timedOut, 1);
                    socket.Dispose();
                },
                null,
                _options.Timeout,
                Timeout.InfiniteTimeSpan))
            {
                socket.Connect(addresses[0], _options.Port);
            }

            socket.ReceiveTimeout = (int)Math.Ceiling(_options.Timeout.TotalMilliseconds);
            socket.SendTimeout = socket.ReceiveTimeout;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            if (Volatile.Read(ref timedOut) == 1)
            {
                throw new SocketException((int)SocketError.TimedOut);
            }

            throw;
        }

        _reader.Reset();
        _socket = socket;
        _lastActivity = _options.TimeProvider.GetTimestamp();
        return socket;
    }

    public ValueTask SendWithoutReplyAsync(byte unitId, ReadOnlyMemory<byte> request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Modbus TCP has no broadcast; every request is answered.");

    public ValueTask DisposeAsync()
    {
        Disconnect();
        _deadline.Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask<Socket> ConnectedSocketAsync(CancellationToken token)
    {
        if (_socket is { } existing)
        {
            if (!PeerClosedWhileIdle(existing))
            {
                return existing;
            }

            Disconnect();
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_options.Host, _options.Port, token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _reader.Reset();
        _socket = socket;
        _lastActivity = _options.TimeProvider.GetTimestamp();
        return socket;
    }

    // Readable with nothing to read means the peer sent FIN; checked only after idling so the hot path pays no syscall.
    private bool PeerClosedWhileIdle(Socket socket) =>
        _options.TimeProvider.GetElapsedTime(_lastActivity) >= IdleProbeAfter
        && socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;

    private void Disconnect()
    {
        var socket = _socket;
        _socket = null;
        _reader.Reset();
        if (socket is not null)
        {
            try
            {
                socket.Dispose();
            }
            catch (SocketException)
            {
                // Closing a broken socket may fail; it is gone either way.
            }
        }
    }
}
