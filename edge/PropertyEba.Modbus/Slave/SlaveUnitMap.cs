namespace PropertyEba.Modbus.Slave;

/// <summary>The units a slave serves, by unit id; lock-free reads on the request path.</summary>
internal sealed class SlaveUnitMap
{
    private readonly IModbusSlaveUnit?[] _units = new IModbusSlaveUnit?[256];

    public void Add(byte unitId, IModbusSlaveUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (Interlocked.CompareExchange(ref _units[unitId], unit, null) is not null)
        {
            throw new InvalidOperationException($"Unit id {unitId} is already served by this slave.");
        }
    }

    public IModbusSlaveUnit? this[byte unitId] => Volatile.Read(ref _units[unitId]);

    /// <summary>Applies a broadcast write (unit 0) to every unit; answers are not sent, so they are dropped.</summary>
    public void Broadcast(ReadOnlySpan<byte> request, Span<byte> scratch)
    {
        if (request.Length == 0 || !SlaveRequestProcessor.IsWrite(request[0]))
        {
            return;
        }

        for (var id = 1; id < 256; id++)
        {
            if (Volatile.Read(ref _units[id]) is { } unit && !unit.Faults.NoReply)
            {
                SlaveRequestProcessor.Process(unit, request, scratch);
            }
        }
    }
}
