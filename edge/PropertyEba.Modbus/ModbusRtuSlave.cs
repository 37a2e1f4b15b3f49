using PropertyEba.Modbus.Rtu;
using PropertyEba.Modbus.Slave;

namespace PropertyEba.Modbus;

/// <summary>
/// A Modbus RTU slave on a serial line, serving one or more unit ids (a simulator can stand in for a
/// whole RS-485 bus). A frame is cut when its length, predicted from its function code, is reached and
/// its CRC holds; bytes that do not make a frame are dropped when the line falls silent. Frames for units
/// this slave does not serve are ignored, as are replies of other slaves on the bus. Unit 0 is a broadcast:
/// writes go to every unit and nobody answers.
/// </summary>
public sealed class ModbusRtuSlave : IAsyncDisposable
{
    // A PC cannot time t3.5 to the microsecond: drivers and USB adapters deliver bytes in bursts a few
    // milliseconds apart. A partial frame is dropped only after this much silence.
    private static readonly TimeSpan MinimumSilence = TimeSpan.FromMilliseconds(20);

    private readonly IRtuChannel _channel;
    private readonly TimeSpan _silence;
    private readonly TimeProvider _timeProvider;
    private readonly SlaveUnitMap _units = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly byte[] _receive = new byte[RtuFrameLength.MaxFrameLength * 2];
    private readonly byte[] _send = new byte[RtuFrameLength.MaxFrameLength];
    private readonly byte[] _scratch = new byte[Protocol.ModbusLimits.MaxPduLength];
    private Task? _loop;
    private long _requestsServed;
    private long _framesRejected;
    private int _stopped;
    private int _disposed;

    /// <summary>Creates a slave on a serial port; call <see cref="AddUnit"/> and then <see cref="StartAsync"/>.</summary>
    public ModbusRtuSlave(ModbusSerialOptions options)
        : this(new SerialPortChannel(options ?? throw new ArgumentNullException(nameof(options))), options.Timing, TimeProvider.System)
    {
    }

    internal ModbusRtuSlave(IRtuChannel channel, RtuTiming timing, TimeProvider timeProvider)
    {
        _channel = channel;
        _timeProvider = timeProvider;
        _silence = timing.T35 > MinimumSilence ? timing.T35 : MinimumSilence;
    }

    /// <summary>Requests answered (including exception responses and broadcasts executed).</summary>
    public long RequestsServed => Interlocked.Read(ref _requestsServed);

    /// <summary>Frames dropped for a wrong CRC or because they were incomplete when the line fell silent.</summary>
    public long FramesRejected => Interlocked.Read(ref _framesRejected);

    /// <summary>Serves <paramref name="unit"/> under <paramref name="unitId"/> (1–247); may be called while running.</summary>
    public void AddUnit(byte unitId, IModbusSlaveUnit unit)
    {
        if (unitId is 0 or > 247)
        {
            throw new ArgumentOutOfRangeException(nameof(unitId), unitId, "RTU slave addresses are 1 to 247; 0 is the broadcast address.");
        }

        _units.Add(unitId, unit);
    }

    /// <summary>Opens the port and starts serving.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("The slave is already started.");
        }

        await _channel.OpenAsync(cancellationToken);
        _loop = Task.Run(() => ServeAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Stops serving and closes the port.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loop is null || Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        finally
        {
            _channel.Close();
        }
    }

    /// <summary>Stops the slave.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        await _channel.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task ServeAsync(CancellationToken stopping)
    {
        var count = 0;
        while (!stopping.IsCancellationRequested)
        {
            int n;
            try
            {
                n = count == 0
                    ? await _channel.ReadAsync(_receive.AsMemory(count), stopping)
                    : await ReadBeforeSilenceAsync(count, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ModbusCommunicationException)
            {
                // The port went away (adapter unplugged); reopen it and carry on.
                count = 0;
                if (!await ReopenAsync(stopping))
                {
                    return;
                }

                continue;
            }

            if (n == 0)
            {
                // The line fell silent with bytes left over: a frame ends at a silence (§2.5.1.1), so what
                // waits for more is incomplete. Step over it a byte at a time, in case a whole frame that
                // arrived glued to it follows.
                count = await ProcessBufferedAsync(count, lineSilent: true, stopping);
                continue;
            }

            count += n;
            count = await ProcessBufferedAsync(count, lineSilent: false, stopping);
        }
    }

    // Cuts and serves every complete frame in the buffer; returns how many bytes remain.
    private async ValueTask<int> ProcessBufferedAsync(int count, bool lineSilent, CancellationToken stopping)
    {
        while (count > 0)
        {
            var length = RtuFrameLength.Request(_receive.AsSpan(0, count));
            if (length == 0 || (length > 0 && count < length))
            {
                if (!lineSilent)
                {
                    break;
                }

                Interlocked.Increment(ref _framesRejected);
                count = Skip(1, count);
                continue;
            }

            if (length < 0)
            {
                // Not a function code we can size. Only a unit of ours must answer it (with IllegalFunction),
                // and its frame is whatever arrived before the silence; anything else is noise to step over.
                if (_receive[0] == 0 || _units[_receive[0]] is null)
                {
                    Interlocked.Increment(ref _framesRejected);
                    count = Skip(1, count);
                    continue;
                }

                if (count < 4 || !Crc16.IsValid(_receive.AsSpan(0, count)))
                {
                    if (count < RtuFrameLength.MaxFrameLength && !lineSilent)
                    {
                        break;
                    }

                    Interlocked.Increment(ref _framesRejected);
                    count = Skip(1, count);
                    continue;
                }

                length = count;
            }
            else if (!Crc16.IsValid(_receive.AsSpan(0, length)))
            {
                Interlocked.Increment(ref _framesRejected);
                count = Skip(1, count);
                continue;
            }

            await ServeFrameAsync(length, stopping);
            count = Skip(length, count);
        }

        if (count == _receive.Length)
        {
            Interlocked.Increment(ref _framesRejected);
            count = 0;
        }

        return count;
    }

    private async ValueTask ServeFrameAsync(int length, CancellationToken stopping)
    {
        var unitId = _receive[0];
        var request = _receive.AsSpan(1, length - 3);
        if (unitId == 0)
        {
            _units.Broadcast(request, _scratch);
            Interlocked.Increment(ref _requestsServed);
            return;
        }

        if (_units[unitId] is not { } unit)
        {
            return;
        }

        var faults = unit.Faults;
        if (faults.NoReply)
        {
            return;
        }

        _send[0] = unitId;
        var pduLength = SlaveRequestProcessor.Process(unit, request, _send.AsSpan(1));
        var frameLength = Crc16.Append(_send, 1 + pduLength);
        if (faults.GarbageReply)
        {
            _send[frameLength - 1] ^= 0x5A;
        }

        if (faults.ReplyDelay > TimeSpan.Zero)
        {
            await Task.Delay(faults.ReplyDelay, _timeProvider, stopping);
        }

        // Counted before the write, so a master that has the reply also sees the count.
        Interlocked.Increment(ref _requestsServed);
        await _channel.WriteAsync(_send.AsMemory(0, frameLength), stopping);
    }

    // Reads more of a partial frame; returns 0 if the line stays silent for the silence interval.
    private async ValueTask<int> ReadBeforeSilenceAsync(int count, CancellationToken stopping)
    {
        using var silence = new CancellationTokenSource(_silence, _timeProvider);
        using var stop = stopping.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), silence);
        try
        {
            return await _channel.ReadAsync(_receive.AsMemory(count), silence.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return 0;
        }
    }

    private async ValueTask<bool> ReopenAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), _timeProvider, stopping);
                await _channel.OpenAsync(stopping);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            catch (ModbusCommunicationException)
            {
                // Still gone; try again.
            }
        }

        return false;
    }

    private int Skip(int bytes, int count)
    {
        _receive.AsSpan(bytes, count - bytes).CopyTo(_receive);
        return count - bytes;
    }
}
