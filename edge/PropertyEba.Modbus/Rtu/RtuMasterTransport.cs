using System.Runtime.CompilerServices;
using PropertyEba.Modbus.Protocol;

namespace PropertyEba.Modbus.Rtu;

/// <summary>
/// Modbus RTU client side on a serial line or a TCP device server. Before each request the line must
/// have been silent for t3.5 and the receive buffer is cleared, so nothing stale is read as the reply.
/// A reply is accepted only from the addressed unit with the request's function code and a valid CRC;
/// a valid frame from any other unit (another master's traffic, an echo) is skipped and the wait goes
/// on. Undecodable bytes are skipped one at a time until a frame lines up.
/// </summary>
internal sealed class RtuMasterTransport : IModbusTransport
{
    private static readonly TimeSpan SpinThreshold = TimeSpan.FromMilliseconds(2);

    private readonly IRtuChannel _channel;
    private readonly RtuTiming? _timing;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _turnaroundDelay;
    private readonly TimeProvider _timeProvider;
    private readonly TransactionDeadline _deadline;
    private readonly byte[] _send = new byte[RtuFrameLength.MaxFrameLength];
    private readonly byte[] _receive = new byte[RtuFrameLength.MaxFrameLength * 2];
    private long _lineIdleFrom;
    private long _discardedFrames;
    private int _sentLength;

    /// <param name="channel">The byte pipe.</param>
    /// <param name="timing">The line's timing; null on a device server, which keeps the silences itself.</param>
    /// <param name="timeout">Per attempt.</param>
    /// <param name="turnaroundDelay">Pause after a broadcast.</param>
    /// <param name="timeProvider">The clock.</param>
    public RtuMasterTransport(IRtuChannel channel, RtuTiming? timing, TimeSpan timeout, TimeSpan turnaroundDelay, TimeProvider timeProvider)
    {
        _channel = channel;
        _timing = timing;
        _timeout = timeout;
        _turnaroundDelay = turnaroundDelay;
        _timeProvider = timeProvider;
        _deadline = new TransactionDeadline(timeProvider);
    }

    public bool BroadcastsWithoutReply => true;

    /// <summary>Well-formed frames skipped because they came from another unit or answered another function.</summary>
    public long DiscardedFrames => Interlocked.Read(ref _discardedFrames);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> TransactAsync(byte unitId, ReadOnlyMemory<byte> request, Memory<byte> response, CancellationToken cancellationToken)
    {
        var token = _deadline.Start(_timeout, cancellationToken);
        try
        {
            await SendAsync(unitId, request, token);
            return await ReceiveAsync(unitId, request.Span[0], response, token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModbusTimeoutException($"No valid reply from unit {unitId} on {_channel.Name} within {_timeout.TotalMilliseconds:0} ms.");
        }
        finally
        {
            _deadline.Stop();
            _lineIdleFrom = _timeProvider.GetTimestamp();
        }
    }

    public async ValueTask SendWithoutReplyAsync(byte unitId, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var token = _deadline.Start(_timeout, cancellationToken);
        try
        {
            await SendAsync(unitId, request, token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModbusTimeoutException($"Could not send the broadcast on {_channel.Name} within {_timeout.TotalMilliseconds:0} ms.");
        }
        finally
        {
            _deadline.Stop();
        }

        await Task.Delay(_turnaroundDelay, _timeProvider, cancellationToken);
        _lineIdleFrom = _timeProvider.GetTimestamp();
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        _deadline.Dispose();
    }

    private async ValueTask SendAsync(byte unitId, ReadOnlyMemory<byte> request, CancellationToken token)
    {
        await _channel.OpenAsync(token);
        await WaitForSilenceAsync(token);
        _channel.DiscardInput();
        await _channel.OpenAsync(token);

        _send[0] = unitId;
        request.Span.CopyTo(_send.AsSpan(1));
        _sentLength = Crc16.Append(_send, 1 + request.Length);
        await _channel.WriteAsync(_send.AsMemory(0, _sentLength), token);
    }

    private async ValueTask<int> ReceiveAsync(byte unitId, byte functionCode, Memory<byte> response, CancellationToken token)
    {
        var count = 0;
        while (true)
        {
            count += await _channel.ReadAsync(_receive.AsMemory(count, _receive.Length - count), token);
            while (count > 0)
            {
                var buffered = _receive.AsSpan(0, count);

                // RS-485 adapters without echo suppression hand back our own request first. Functions 05 and 06
                // are answered with an exact echo, so there the first copy is taken as the reply: it says the same.
                if (functionCode is not (Protocol.FunctionCode.WriteSingleCoil or Protocol.FunctionCode.WriteSingleRegister)
                    && count >= _sentLength && buffered[.._sentLength].SequenceEqual(_send.AsSpan(0, _sentLength)))
                {
                    count = Skip(_sentLength, count);
                    continue;
                }

                var length = RtuFrameLength.Response(buffered);
                if (length == 0 || (length > 0 && count < length))
                {
                    // The rest of the reply is still on the wire. Sleep through most of its transmit time, then
                    // read: a read posted early costs a driver wake-up per burst of characters, and on Linux
                    // another hop through the I/O loop of System.IO.Ports.
                    if (length > 0 && _timing is { } timing && ReferenceEquals(_timeProvider, TimeProvider.System))
                    {
                        await AwaitRestOfFrameAsync(timing, length - count, token);
                    }

                    break;
                }

                if (length < 0)
                {
                    count = Skip(1, count);
                    continue;
                }

                var frame = buffered[..length];
                var ours = frame[0] == unitId && ResponsePdu.Answers(frame[1..^2], functionCode);
                if (!Crc16.IsValid(frame))
                {
                    if (ours)
                    {
                        throw new ModbusProtocolException($"Reply from unit {unitId} on {_channel.Name} has a wrong CRC: {Convert.ToHexString(frame)}.");
                    }

                    count = Skip(1, count);
                    continue;
                }

                if (!ours)
                {
                    Interlocked.Increment(ref _discardedFrames);
                    count = Skip(length, count);
                    continue;
                }

                var pdu = frame[1..^2];
                pdu.CopyTo(response.Span);
                return pdu.Length;
            }

            if (count == _receive.Length)
            {
                count = Skip(1, count);
            }
        }
    }

    private int Skip(int bytes, int count)
    {
        _receive.AsSpan(bytes, count - bytes).CopyTo(_receive);
        return count - bytes;
    }

    private async ValueTask AwaitRestOfFrameAsync(RtuTiming timing, int missing, CancellationToken token)
    {
        var rest = timing.TransmitTime(missing);
        if (rest > SpinThreshold)
        {
            await Task.Delay(rest - SpinThreshold, _timeProvider, token);
        }
    }

    // The line must be silent for t3.5 between frames (Serial Line §2.5.1.1).
    private async ValueTask WaitForSilenceAsync(CancellationToken token)
    {
        if (_timing is not { } timing)
        {
            return;
        }

        var remaining = timing.T35 - _timeProvider.GetElapsedTime(_lineIdleFrom);
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        if (ReferenceEquals(_timeProvider, TimeProvider.System))
        {
            // Timers fire a millisecond or more late, which at 19200 baud would stretch the 2 ms gap by half.
            // Sleep through most of it and spin the last stretch.
            if (remaining > SpinThreshold)
            {
                await Task.Delay(remaining - SpinThreshold, _timeProvider, token);
            }

            var spinner = default(SpinWait);
            while (_timeProvider.GetElapsedTime(_lineIdleFrom) < timing.T35)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            return;
        }

        await Task.Delay(remaining, _timeProvider, token);
    }
}
