using System.Collections.Immutable;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Polling;

/// <summary>Limits the planner works within: per-read maxima (the device's) and the largest hole worth reading through.</summary>
/// <param name="MaxRegistersPerRead">At most 125 (the Modbus limit for function codes 03/04).</param>
/// <param name="MaxBitsPerRead">At most 2000 (the Modbus limit for function codes 01/02).</param>
/// <param name="MaxRegisterGap">Unused registers bridged to merge two points into one read.</param>
/// <param name="MaxBitGap">Unused bits bridged to merge two points into one read.</param>
public sealed record ReadPlanLimits(int MaxRegistersPerRead = 125, int MaxBitsPerRead = 2000, int MaxRegisterGap = 16, int MaxBitGap = 64);

/// <summary>A point of a read: where its data starts within the read's response.</summary>
public sealed record PlannedPoint(PointDefinition Point, int Offset);

/// <summary>One Modbus read request covering one or more points of one table.</summary>
public sealed record ReadRequest(ModbusTable Table, ushort Address, ushort Count, ImmutableArray<PlannedPoint> Points)
{
    /// <summary>Whether this reads single bits (coils, discrete inputs) rather than registers.</summary>
    public bool IsBitRead => Table is ModbusTable.Coils or ModbusTable.DiscreteInputs;
}

/// <summary>
/// Turns a device profile into as few Modbus reads as possible: points are grouped by table, sorted
/// by address, and neighbours are merged into one read while the hole between them is at most the
/// gap limit and the read stays within the per-read maximum. Reading a few unused registers costs
/// far less than another round trip on a slow serial bus.
/// </summary>
public static class ReadPlanner
{
    /// <summary>Plans the reads for the points of a profile. String points are left out (telemetry v1 carries numbers only).</summary>
    public static ImmutableArray<ReadRequest> Plan(IEnumerable<PointDefinition> points, ReadPlanLimits limits)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.MaxRegistersPerRead is < 4 or > 125)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), limits.MaxRegistersPerRead, "MaxRegistersPerRead must be 4..125.");
        }

        if (limits.MaxBitsPerRead is < 1 or > 2000)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), limits.MaxBitsPerRead, "MaxBitsPerRead must be 1..2000.");
        }

        var requests = ImmutableArray.CreateBuilder<ReadRequest>();
        var byTable = points
            .Where(p => p.Type != ModbusDataType.String)
            .GroupBy(p => p.Table)
            .OrderBy(g => g.Key);
        foreach (var table in byTable)
        {
            var isBits = table.Key is ModbusTable.Coils or ModbusTable.DiscreteInputs;
            var maxCount = isBits ? limits.MaxBitsPerRead : limits.MaxRegistersPerRead;
            var maxGap = Math.Max(0, isBits ? limits.MaxBitGap : limits.MaxRegisterGap);

            var start = -1;
            var end = -1; // exclusive
            var members = new List<PointDefinition>();
            foreach (var point in table.OrderBy(p => p.Address).ThenBy(p => p.Span))
            {
                int pointEnd = point.Address + point.Span;
                if (start >= 0 && point.Address - end <= maxGap && Math.Max(end, pointEnd) - start <= maxCount)
                {
                    end = Math.Max(end, pointEnd);
                    members.Add(point);
                    continue;
                }

                Flush();
                start = point.Address;
                end = pointEnd;
                members.Add(point);
            }

            Flush();

            void Flush()
            {
                if (members.Count == 0)
                {
                    return;
                }

                var planned = ImmutableArray.CreateBuilder<PlannedPoint>(members.Count);
                foreach (var m in members)
                {
                    planned.Add(new PlannedPoint(m, m.Address - start));
                }

                requests.Add(new ReadRequest(table.Key, (ushort)start, (ushort)(end - start), planned.MoveToImmutable()));
                members.Clear();
            }
        }

        return requests.ToImmutable();
    }

    /// <summary>One read per point (string points left out): for devices that refuse merged reads.</summary>
    public static ImmutableArray<ReadRequest> PerPoint(IEnumerable<PointDefinition> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return [.. points
            .Where(p => p.Type != ModbusDataType.String)
            .OrderBy(p => p.Table)
            .ThenBy(p => p.Address)
            .Select(p => new ReadRequest(p.Table, p.Address, (ushort)p.Span, [new PlannedPoint(p, 0)]))];
    }
}
