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

    /// <summary>
    /// A master with a shorter timeout never receives quickly: the deadline is checked only between receives, and one
    /// quick wait (a window the kernel rounds up to 12 ms, then at most one grace of Timeout/4) could outlast it.
    /// </summary>
    internal static readonly TimeSpan QuickReceivesFromTimeout = TimeSpan.FromMilliseconds(100);

    private readonly ModbusTcpMasterOptions _options;
    private readonly MbapConnection _mbap;
    private readonly byte[] _send = new byte[MbapHeader.Size + 253];
    private readonly TransactionDeadline _deadline;
    private Socket? _socket;
    private ushort _transactionId;
    private long _lastActivity;
    private long _discardedReplies;

    /// <summary>A master's transport; its quick receives take slots of <paramref name="budget"/> (the process's shared one unless given).</summary>
    public TcpMasterTransport(ModbusTcpMasterOptions options, QuickConnectionBudget? budget = null)
    {
        _options = options;

        // The one longer quick wait stays well inside the timeout, so a silent slave is still reported on time.
        _mbap = new MbapConnection(TimeSpan.FromTicks(Math.Min(QuickPeerIo.DefaultGrace.Ticks, options.Timeout.Ticks / 4)), budget);
        _deadline = new TransactionDeadline(options.TimeProvider);
    }

    public bool BroadcastsWithoutReply => false;

    /// <summary>Replies thrown away because their transaction or unit id matched no open request.</summary>
    public long DiscardedReplies => Interlocked.Read(ref _discardedReplies);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> TransactAsync(byte unitId, ReadOnlyMemory<byte> request, Memory<byte> response, CancellationToken cancellationToken)
    {
        var token = _deadline.Start(_options.Timeout, cancellationToken);
        try
        {
            var socket = await ConnectedSocketAsync(token);
            var transactionId = ++_transactionId;
            MbapHeader.Write(_send, transactionId, unitId, request.Length);
            request.Span.CopyTo(_send.AsSpan(MbapHeader.Size));
            await _mbap.SendAsync(socket, _send.AsMemory(0, MbapHeader.Size + request.Length), token);

            var functionCode = request.Span[0];
            while (true)
            {
                var frame = await _mbap.ReadFrameAsync(socket, token);
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

    // A blocking connect that a timer cuts short by closing the socket, because a blocking connect has no
    // timeout of its own and a non-blocking one would put the socket on the runtime's asynchronous engine
    // for good. Returns null when the time ran out. The window is a speed heuristic, not a protocol timeout,
    // so it runs on the real clock even when the options carry a test clock.
    private static Socket? TryConnectQuickly(System.Net.IPEndPoint endPoint)
    {
        const int Pending = 0, TimedOut = 1, Connected = 2;
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var outcome = Pending;
        try
        {
            // Whoever settles the outcome first wins: a timer that fires just after the connect succeeded must
            // not close the socket the caller is about to use.
            using (TimeProvider.System.CreateTimer(
                _ =>
                {
                    if (Interlocked.CompareExchange(ref outcome, TimedOut, Pending) == Pending)
                    {
                        socket.Dispose();
                    }
                },
                null,
                QuickPeerIo.Window,
                Timeout.InfiniteTimeSpan))
            {
                socket.Connect(endPoint);
            }

            if (Interlocked.CompareExchange(ref outcome, Connected, Pending) == Pending)
            {
                return socket;
            }

            socket.Dispose();
            return null;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            if (Interlocked.CompareExchange(ref outcome, Connected, Pending) == TimedOut)
            {
                return null;
            }

            throw;
        }
    }

    private Socket Connected(Socket socket, bool asynchronous)
    {
        _mbap.Reset(asynchronous);
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

        var addresses = await System.Net.Dns.GetHostAddressesAsync(_options.Host, token);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        return _options.Timeout >= QuickReceivesFromTimeout && TryConnectQuickly(addresses, _options.Port) is { } quick
            ? Connected(quick, asynchronous: false)
            : Connected(await ConnectAsynchronouslyAsync(addresses, token), asynchronous: true);
    }

    // A slave on the same host or LAN accepts within a millisecond: a blocking connect then leaves the socket
    // off the runtime's asynchronous engine, which the connection's quick receives rely on (QuickPeerIo).
    // Every address of the host is tried, as "localhost" may resolve to ::1 first and the slave listen on
    // 127.0.0.1 only. Null when some address did not answer within the window: a slower slave gets an ordinary
    // asynchronous connect.
    internal static Socket? TryConnectQuickly(System.Net.IPAddress[] addresses, int port)
    {
        SocketException? refused = null;
        foreach (var address in addresses)
        {
            try
            {
                if (TryConnectQuickly(new System.Net.IPEndPoint(address, port)) is { } socket)
                {
                    return socket;
                }

                return null;
            }
            catch (SocketException ex)
            {
                refused = ex;
            }
        }

        throw refused!;
    }

    private async ValueTask<Socket> ConnectAsynchronouslyAsync(System.Net.IPAddress[] addresses, CancellationToken token)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, _options.Port, token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // Readable with nothing to read means the peer sent FIN; checked only after idling so the hot path pays no syscall.
    private bool PeerClosedWhileIdle(Socket socket) =>
        _options.TimeProvider.GetElapsedTime(_lastActivity) >= IdleProbeAfter
        && socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;

    private void Disconnect()
    {
        var socket = _socket;
        _socket = null;
        _mbap.Reset();
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
