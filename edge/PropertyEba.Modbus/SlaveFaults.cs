namespace PropertyEba.Modbus;

/// <summary>
/// Faults a slave injects for one unit, so that simulators and tests can show how a master copes
/// with real-world misbehaviour. Every property is safe to set from any thread while the slave runs;
/// all are off by default.
/// </summary>
public sealed class SlaveFaults
{
    private volatile bool _noReply;
    private volatile bool _garbageReply;
    private long _replyDelayTicks;
    private int _exceptionReply = -1;

    /// <summary>The unit stops answering: requests are read and dropped.</summary>
    public bool NoReply
    {
        get => _noReply;
        set => _noReply = value;
    }

    /// <summary>The unit answers after this delay (zero: at once).</summary>
    public TimeSpan ReplyDelay
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _replyDelayTicks));
        set => Volatile.Write(ref _replyDelayTicks, value < TimeSpan.Zero ? 0 : value.Ticks);
    }

    /// <summary>The unit answers every request with this exception code (null: normal answers).</summary>
    public ModbusExceptionCode? ExceptionReply
    {
        get
        {
            var code = Volatile.Read(ref _exceptionReply);
            return code < 0 ? null : (ModbusExceptionCode)code;
        }

        set => Volatile.Write(ref _exceptionReply, value is { } code ? (int)code : -1);
    }

    /// <summary>The unit answers with random bytes (on RTU: a frame with a wrong CRC).</summary>
    public bool GarbageReply
    {
        get => _garbageReply;
        set => _garbageReply = value;
    }

    /// <summary>True when any fault is set; lets the slave's hot path skip the individual checks.</summary>
    internal bool Any => _noReply || _garbageReply || Volatile.Read(ref _replyDelayTicks) != 0 || Volatile.Read(ref _exceptionReply) >= 0;

    /// <summary>Turns every fault off.</summary>
    public void Clear()
    {
        NoReply = false;
        GarbageReply = false;
        ReplyDelay = TimeSpan.Zero;
        ExceptionReply = null;
    }
}
