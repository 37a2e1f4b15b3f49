namespace PropertyEba.Modbus.Tcp;

/// <summary>
/// How many connections of this process may use blocking calls at once (see <see cref="QuickPeerIo"/>).
/// A back-to-back connection keeps a thread-pool thread busy in those calls, and the pool does not count it
/// as blocked; with one connection fewer than there are processors, the pool's minimum of one thread per
/// processor leaves at least one to everything else (timers, other connections' completions) on machines
/// with two or more processors. A connection holds its slot until it switches to asynchronous calls or ends,
/// also while idle (an idle quick master blocks nothing, it just keeps its place).
/// </summary>
internal sealed class QuickConnectionBudget
{
    private int _free;

    /// <summary>A budget of <paramref name="slots"/> connections.</summary>
    public QuickConnectionBudget(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        _free = slots;
    }

    /// <summary>The process's budget: one connection fewer than there are processors, and at least one.</summary>
    public static QuickConnectionBudget Shared { get; } = new(Math.Max(1, Environment.ProcessorCount - 1));

    /// <summary>Slots not taken now.</summary>
    public int Free => Volatile.Read(ref _free);

    /// <summary>Takes a slot if one is free.</summary>
    public bool TryTake()
    {
        var free = Volatile.Read(ref _free);
        while (free > 0)
        {
            var seen = Interlocked.CompareExchange(ref _free, free - 1, free);
            if (seen == free)
            {
                return true;
            }

            free = seen;
        }

        return false;
    }

    /// <summary>Gives a taken slot back.</summary>
    public void Return() => Interlocked.Increment(ref _free);
}
