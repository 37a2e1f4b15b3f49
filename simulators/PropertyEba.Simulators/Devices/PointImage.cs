using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Simulators.Devices;

/// <summary>
/// A device's register map as it should look on the wire: engineering values are encoded into a
/// local image following the profile, and the image is copied into the Modbus data store in a few
/// block writes. Writable points are left to the masters that write them; their values are read back.
/// </summary>
internal sealed class PointImage
{
    private readonly DeviceProfile _profile;
    private readonly ModbusDataStore _store;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly double[] _values;
    private readonly ushort[] _holding;
    private readonly ushort[] _input;
    private readonly bool[] _coils;
    private readonly bool[] _discrete;
    private readonly (ModbusTable Table, int Start, int Count)[] _readOnlySegments;
    private readonly int[] _writablePoints;
    private readonly int[] _readOnlyBitPoints;

    public PointImage(DeviceProfile profile, ModbusDataStore store)
    {
        _profile = profile;
        _store = store;
        _values = new double[profile.Points.Count];
        int maxHolding = 0, maxInput = 0, maxCoil = 0, maxDiscrete = 0;
        var writable = new List<int>();
        var bits = new List<int>();
        for (var i = 0; i < profile.Points.Count; i++)
        {
            var p = profile.Points[i];
            _index[p.Id] = i;
            var end = p.Address + p.Span;
            switch (p.Table)
            {
                case ModbusTable.HoldingRegisters: maxHolding = Math.Max(maxHolding, end); break;
                case ModbusTable.InputRegisters: maxInput = Math.Max(maxInput, end); break;
                case ModbusTable.Coils: maxCoil = Math.Max(maxCoil, end); break;
                default: maxDiscrete = Math.Max(maxDiscrete, end); break;
            }

            if (p.Writable)
            {
                writable.Add(i);
            }
            else if (p.Table is ModbusTable.Coils or ModbusTable.DiscreteInputs)
            {
                bits.Add(i);
            }
        }

        _holding = new ushort[maxHolding];
        _input = new ushort[maxInput];
        _coils = new bool[maxCoil];
        _discrete = new bool[maxDiscrete];
        _writablePoints = [.. writable];
        _readOnlyBitPoints = [.. bits];
        _readOnlySegments = [.. Segments(profile, ModbusTable.HoldingRegisters), .. Segments(profile, ModbusTable.InputRegisters)];
    }

    public bool HasPoint(string pointId) => _index.ContainsKey(pointId);

    public double Get(string pointId) => _values[IndexOf(pointId)];

    /// <summary>Sets a point's engineering value and encodes it into the image.</summary>
    public void Set(string pointId, double value)
    {
        var i = IndexOf(pointId);
        var p = _profile.Points[i];
        switch (p.Table)
        {
            case ModbusTable.Coils: _coils[p.Address] = value != 0; value = value != 0 ? 1 : 0; break;
            case ModbusTable.DiscreteInputs: _discrete[p.Address] = value != 0; value = value != 0 ? 1 : 0; break;
            default:
                var regs = (p.Table == ModbusTable.HoldingRegisters ? _holding : _input).AsSpan(p.Address, p.Span);
                RegisterCodec.Encode(value, regs, p.Type, p.Order, p.Bit, p.Scale, p.Offset);

                // Keep what the wire says, so a reader of the physical value sees the same quantisation.
                value = RegisterCodec.Decode(regs, p.Type, p.Order, p.Bit, p.Scale, p.Offset);
                break;
        }

        _values[i] = value;
    }

    /// <summary>Copies what masters wrote into writable points back into the image and the values.</summary>
    public void PullWritable()
    {
        Span<ushort> regs = stackalloc ushort[4];
        foreach (var i in _writablePoints)
        {
            var p = _profile.Points[i];
            if (p.Table == ModbusTable.Coils)
            {
                var on = _store.GetBit(ModbusTable.Coils, p.Address);
                _coils[p.Address] = on;
                _values[i] = on ? 1 : 0;
            }
            else
            {
                var span = regs[..p.Span];
                _store.GetRegisters(ModbusTable.HoldingRegisters, p.Address, span);
                span.CopyTo(_holding.AsSpan(p.Address, p.Span));
                _values[i] = RegisterCodec.Decode(span, p.Type, p.Order, p.Bit, p.Scale, p.Offset);
            }
        }
    }

    /// <summary>Copies the image into the data store: every point, or only the read-only ones.</summary>
    public void Push(bool includeWritable)
    {
        foreach (var (table, start, count) in _readOnlySegments)
        {
            var source = table == ModbusTable.HoldingRegisters ? _holding : _input;
            _store.SetRegisters(table, (ushort)start, source.AsSpan(start, count));
        }

        foreach (var i in _readOnlyBitPoints)
        {
            var p = _profile.Points[i];
            _store.SetBit(p.Table, p.Address, p.Table == ModbusTable.Coils ? _coils[p.Address] : _discrete[p.Address]);
        }

        if (!includeWritable)
        {
            return;
        }

        foreach (var i in _writablePoints)
        {
            var p = _profile.Points[i];
            if (p.Table == ModbusTable.Coils)
            {
                _store.SetBit(ModbusTable.Coils, p.Address, _coils[p.Address]);
            }
            else
            {
                _store.SetRegisters(ModbusTable.HoldingRegisters, p.Address, _holding.AsSpan(p.Address, p.Span));
            }
        }
    }

    /// <summary>Whether a master may write this register range (writes to read-only registers are refused as real devices do).</summary>
    public bool IsWritableRange(ModbusTable table, ushort address, int count)
    {
        for (var a = address; a < address + count; a++)
        {
            var covered = false;
            foreach (var i in _writablePoints)
            {
                var p = _profile.Points[i];
                if (p.Table == table && a >= p.Address && a < p.Address + p.Span)
                {
                    covered = true;
                    break;
                }
            }

            if (!covered)
            {
                return false;
            }
        }

        return true;
    }

    private int IndexOf(string pointId) =>
        _index.TryGetValue(pointId, out var i)
            ? i
            : throw new ArgumentException($"Model '{_profile.Model}' has no point '{pointId}'. Its points: {string.Join(", ", _index.Keys)}.", nameof(pointId));

    // Contiguous register ranges covered by read-only points, merged, so a push is a few block writes.
    private static IEnumerable<(ModbusTable, int, int)> Segments(DeviceProfile profile, ModbusTable table)
    {
        var covered = new SortedSet<int>();
        foreach (var p in profile.Points)
        {
            if (p.Table == table && !p.Writable)
            {
                for (var a = p.Address; a < p.Address + p.Span; a++)
                {
                    covered.Add(a);
                }
            }
        }

        int start = -1, prev = -2;
        foreach (var a in covered)
        {
            if (a != prev + 1)
            {
                if (start >= 0)
                {
                    yield return (table, start, prev - start + 1);
                }

                start = a;
            }

            prev = a;
        }

        if (start >= 0)
        {
            yield return (table, start, prev - start + 1);
        }
    }
}
