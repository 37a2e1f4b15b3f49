namespace PropertyEba.Modbus;

/// <summary>
/// The standard <see cref="IModbusSlaveUnit"/>: the four Modbus tables with 65,536 entries each.
/// Storage is allocated in pages of 256 entries on first write, so a sparse map costs little and a
/// full one costs 384 KiB. Thread-safe: a master's block read or write is atomic with respect to
/// the simulator's <c>Set…</c>/<c>Get…</c> calls.
/// </summary>
public sealed class ModbusDataStore : IModbusSlaveUnit, IModbusDeviceIdentification
{
    private const int PageSize = 256;
    private const int PageCount = 65536 / PageSize;

    private readonly Lock _lock = new();
    private readonly bool[]?[] _coils = new bool[PageCount][];
    private readonly bool[]?[] _discreteInputs = new bool[PageCount][];
    private readonly ushort[]?[] _holdingRegisters = new ushort[PageCount][];
    private readonly ushort[]?[] _inputRegisters = new ushort[PageCount][];
    private volatile IReadOnlyDictionary<byte, string> _identification = new Dictionary<byte, string>
    {
        [0] = "PropertyEba",
        [1] = "PropertyEba.Modbus",
        [2] = "1.0",
    };

    /// <summary>Creates an empty store: every bit false, every register zero.</summary>
    public ModbusDataStore()
    {
    }

    /// <inheritdoc />
    public SlaveFaults Faults { get; } = new();

    /// <summary>Raised after a master wrote coils or holding registers (on the slave's connection task).</summary>
    public event EventHandler<ModbusWriteEventArgs>? Written;

    /// <summary>
    /// Called before a master's read with the table, first address and count: a simulator can compute
    /// the values (with <see cref="SetRegisters"/>) or reject the read by returning an exception code,
    /// e.g. <see cref="ModbusExceptionCode.IllegalDataAddress"/> for an unmapped range.
    /// </summary>
    public Func<ModbusTable, ushort, int, ModbusExceptionCode?>? BeforeRead { get; set; }

    /// <summary>
    /// Called before a master's write with the table, first address and count; returning an exception
    /// code rejects the write (e.g. <see cref="ModbusExceptionCode.IllegalDataAddress"/> for read-only registers).
    /// </summary>
    public Func<ModbusTable, ushort, int, ModbusExceptionCode?>? BeforeWrite { get; set; }

    /// <summary>The objects answered for Read Device Identification (function code 43/14); defaults name this library.</summary>
    public IReadOnlyDictionary<byte, string> DeviceIdentification => _identification;

    /// <summary>Sets one device identification object (ASCII, at most 245 characters).</summary>
    public void SetDeviceIdentification(byte objectId, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 245)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.Length, "A device identification object fits in one reply: at most 245 characters.");
        }

        lock (_lock)
        {
            _identification = new Dictionary<byte, string>(_identification) { [objectId] = value };
        }
    }

    /// <summary>Sets registers of any table, starting at <paramref name="address"/>; wraps nowhere: the range must end by 65535.</summary>
    public void SetRegisters(ModbusTable table, ushort address, ReadOnlySpan<ushort> values)
    {
        CheckRange(address, values.Length);
        var pages = RegisterPages(table);
        lock (_lock)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var a = address + i;
                var page = pages[a / PageSize] ??= new ushort[PageSize];
                page[a % PageSize] = values[i];
            }
        }
    }

    /// <summary>Sets one register of any table.</summary>
    public void SetRegister(ModbusTable table, ushort address, ushort value) => SetRegisters(table, address, [value]);

    /// <summary>Reads registers of any table into <paramref name="destination"/>.</summary>
    public void GetRegisters(ModbusTable table, ushort address, Span<ushort> destination)
    {
        CheckRange(address, destination.Length);
        var pages = RegisterPages(table);
        lock (_lock)
        {
            CopyOut(pages, address, destination);
        }
    }

    /// <summary>Sets one coil or discrete input.</summary>
    public void SetBit(ModbusTable table, ushort address, bool value)
    {
        var pages = BitPages(table);
        lock (_lock)
        {
            var page = pages[address / PageSize] ??= new bool[PageSize];
            page[address % PageSize] = value;
        }
    }

    /// <summary>Reads one coil or discrete input.</summary>
    public bool GetBit(ModbusTable table, ushort address)
    {
        var pages = BitPages(table);
        lock (_lock)
        {
            return pages[address / PageSize]?[address % PageSize] ?? false;
        }
    }

    ModbusExceptionCode? IModbusSlaveUnit.ReadBits(ModbusTable table, ushort address, Span<bool> destination)
    {
        if (table is not (ModbusTable.Coils or ModbusTable.DiscreteInputs))
        {
            return ModbusExceptionCode.IllegalFunction;
        }

        if (BeforeRead?.Invoke(table, address, destination.Length) is { } rejected)
        {
            return rejected;
        }

        var pages = BitPages(table);
        lock (_lock)
        {
            CopyOut(pages, address, destination);
        }

        return null;
    }

    ModbusExceptionCode? IModbusSlaveUnit.ReadRegisters(ModbusTable table, ushort address, Span<ushort> destination)
    {
        if (table is not (ModbusTable.HoldingRegisters or ModbusTable.InputRegisters))
        {
            return ModbusExceptionCode.IllegalFunction;
        }

        if (BeforeRead?.Invoke(table, address, destination.Length) is { } rejected)
        {
            return rejected;
        }

        var pages = RegisterPages(table);
        lock (_lock)
        {
            CopyOut(pages, address, destination);
        }

        return null;
    }

    ModbusExceptionCode? IModbusSlaveUnit.WriteBits(ushort address, ReadOnlySpan<bool> values)
    {
        if (BeforeWrite?.Invoke(ModbusTable.Coils, address, values.Length) is { } rejected)
        {
            return rejected;
        }

        lock (_lock)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var a = address + i;
                var page = _coils[a / PageSize] ??= new bool[PageSize];
                page[a % PageSize] = values[i];
            }
        }

        Written?.Invoke(this, new ModbusWriteEventArgs { Table = ModbusTable.Coils, Address = address, Count = values.Length });
        return null;
    }

    ModbusExceptionCode? IModbusSlaveUnit.WriteRegisters(ushort address, ReadOnlySpan<ushort> values)
    {
        if (BeforeWrite?.Invoke(ModbusTable.HoldingRegisters, address, values.Length) is { } rejected)
        {
            return rejected;
        }

        SetRegisters(ModbusTable.HoldingRegisters, address, values);
        Written?.Invoke(this, new ModbusWriteEventArgs { Table = ModbusTable.HoldingRegisters, Address = address, Count = values.Length });
        return null;
    }

    private static void CopyOut<T>(T[]?[] pages, int address, Span<T> destination)
    {
        var i = 0;
        while (i < destination.Length)
        {
            var a = address + i;
            var offset = a % PageSize;
            var n = Math.Min(PageSize - offset, destination.Length - i);
            var page = pages[a / PageSize];
            if (page is null)
            {
                destination.Slice(i, n).Clear();
            }
            else
            {
                page.AsSpan(offset, n).CopyTo(destination.Slice(i, n));
            }

            i += n;
        }
    }

    private static void CheckRange(ushort address, int count)
    {
        if (address + count > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Address {address} plus {count} entries runs past 65535.");
        }
    }

    private ushort[]?[] RegisterPages(ModbusTable table) => table switch
    {
        ModbusTable.HoldingRegisters => _holdingRegisters,
        ModbusTable.InputRegisters => _inputRegisters,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Registers live in the holding or input register table."),
    };

    private bool[]?[] BitPages(ModbusTable table) => table switch
    {
        ModbusTable.Coils => _coils,
        ModbusTable.DiscreteInputs => _discreteInputs,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Bits live in the coil or discrete input table."),
    };
}
