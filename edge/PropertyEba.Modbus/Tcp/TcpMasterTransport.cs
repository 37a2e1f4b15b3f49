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
