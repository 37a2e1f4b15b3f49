using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace PropertyEba.Modbus.Tcp;

/// <summary>
/// One Modbus TCP connection's input and output: cuts the byte stream into MBAP frames and sends frames.
/// It reads as much as the socket has, so pipelined or coalesced frames cost one receive call, and keeps
/// the rest for the next frame. Receives and sends go blocking or asynchronous together, as
/// <see cref="QuickPeerIo"/> decides. One instance per connection; not thread-safe.
/// </summary>
internal sealed class MbapConnection
{
    private readonly byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;
    private int _lastFrameLength;
    private readonly QuickPeerIo _quick;

    /// <summary>
    /// A connection whose quick receives may wait once up to <paramref name="grace"/> (see <see cref="QuickPeerIo"/>),
    /// holding a slot of <paramref name="budget"/> (the process's shared one unless given) while it receives quickly.
    /// </summary>
    public MbapConnection(TimeSpan grace, QuickConnectionBudget? budget = null)
    {
        _quick = new QuickPeerIo(grace, budget ?? QuickConnectionBudget.Shared);
    }

    /// <summary>
    /// Forgets everything buffered and gives back the quick slot, e.g. after reconnecting or when the connection
    /// ends; <paramref name="asynchronous"/> for a socket connected asynchronously (see <see cref="QuickPeerIo.Reset"/>).
    /// </summary>
    public void Reset(bool asynchronous = false)
    {
        _start = 0;
        _end = 0;
        _lastFrameLength = 0;
        _quick.Reset(asynchronous);
    }

    /// <summary>
    /// Returns the next whole frame (header and PDU), valid until the next call.
    /// </summary>
    /// <exception cref="ModbusProtocolException">The header is invalid: the stream cannot be resynchronised.</exception>
    /// <exception cref="ModbusCommunicationException">The peer closed the connection.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>> ReadFrameAsync(Socket socket, CancellationToken cancellationToken)
    {
        BeginFrame();

        // One loop, not a helper per fill: each extra async level costs a state machine on every reply.
        var total = MbapHeader.Size;
        var headerChecked = false;
        while (!TryTakeFrame(ref total, ref headerChecked))
        {
            // Quick receives do not watch the token: a peer trickling bytes must not outlast the deadline.
            cancellationToken.ThrowIfCancellationRequested();
            MakeRoom();
            Received(_quick.TryReceive(socket, _buffer.AsSpan(_end), out var received)
                ? received
                : await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken));
        }

        return _buffer.AsMemory(_start, total);
    }

    /// <summary>Sends one whole frame, blocking while the peer is quick and asynchronously after that.</summary>
    public ValueTask SendAsync(Socket socket, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        var sent = _quick.SendQuickly(socket, frame.Span);
        return sent == frame.Length ? ValueTask.CompletedTask : SendAllAsync(socket, frame[sent..], cancellationToken);
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        var sent = 0;
        while (sent < frame.Length)
        {
            sent += await socket.SendAsync(frame[sent..], SocketFlags.None, cancellationToken);
        }
    }

    // Drops the previous frame from the buffer; bytes after it are the start of the next one.
    private void BeginFrame()
    {
        _start += _lastFrameLength;
        _lastFrameLength = 0;
    }

    // The framing step: check the MBAP header once it is in, then wait for the whole frame.
    private bool TryTakeFrame(ref int total, ref bool headerChecked)
    {
        if (!headerChecked && _end - _start >= MbapHeader.Size)
        {
            var header = MbapHeader.Read(_buffer.AsSpan(_start));
            if (header.Problem is { } problem)
            {
                throw new ModbusProtocolException(problem + ".");
            }

            total = 6 + header.Length;
            headerChecked = true;
        }

        if (headerChecked && _end - _start >= total)
        {
            _lastFrameLength = total;
            return true;
        }

        return false;
    }

    private void Received(int count)
    {
        if (count == 0)
        {
            throw new ModbusCommunicationException("The peer closed the connection.");
        }

        _end += count;
    }

    private void MakeRoom()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_buffer.Length - _end < 300)
        {
            // Room for at least one more maximal frame; the tail is at most one partial frame.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
    }
}
