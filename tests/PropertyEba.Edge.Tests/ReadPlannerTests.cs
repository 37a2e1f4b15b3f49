using PropertyEba.Edge.Polling;
using PropertyEba.Edge.Tests.Infrastructure;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Tests;

public sealed class ReadPlannerTests
{
    private static PointDefinition Point(string id, ModbusTable table, ushort address, ModbusDataType type = ModbusDataType.UInt16, int bit = 0) =>
        new() { Id = id, Name = id, Kind = PointKind.Analog, Table = table, Address = address, Type = type, Bit = bit };

    [Fact]
    public void Merges_nearby_points_of_a_table_into_one_read()
    {
        var plan = ReadPlanner.Plan(
            [
                Point("a", ModbusTable.HoldingRegisters, 0),
                Point("b", ModbusTable.HoldingRegisters, 1, ModbusDataType.Float32),
                Point("c", ModbusTable.HoldingRegisters, 10, ModbusDataType.UInt32),
            ],
            new ReadPlanLimits(MaxRegisterGap: 8));

        var read = plan.ShouldHaveSingleItem();
        read.Table.ShouldBe(ModbusTable.HoldingRegisters);
        read.Address.ShouldBe((ushort)0);
        read.Count.ShouldBe((ushort)12);
        read.Points.Select(p => (p.Point.Id, p.Offset)).ShouldBe([("a", 0), ("b", 1), ("c", 10)]);
    }

    [Fact]
    public void Splits_where_the_hole_is_wider_than_the_max_gap()
    {
        var plan = ReadPlanner.Plan(
            [Point("a", ModbusTable.InputRegisters, 0), Point("b", ModbusTable.InputRegisters, 5), Point("c", ModbusTable.InputRegisters, 100)],
            new ReadPlanLimits(MaxRegisterGap: 4));

        plan.Select(r => (r.Address, r.Count)).ShouldBe([((ushort)0, (ushort)6), ((ushort)100, (ushort)1)]);
    }

    [Fact]
    public void Never_reads_more_than_the_per_read_maximum()
    {
        var points = Enumerable.Range(0, 300).Select(i => Point($"r{i}", ModbusTable.HoldingRegisters, (ushort)i)).ToList();
        var plan = ReadPlanner.Plan(points, new ReadPlanLimits(MaxRegistersPerRead: 125));
        plan.Select(r => (r.Address, r.Count)).ShouldBe([((ushort)0, (ushort)125), ((ushort)125, (ushort)125), ((ushort)250, (ushort)50)]);

        var bits = Enumerable.Range(0, 4500).Select(i => Point($"b{i}", ModbusTable.Coils, (ushort)i, ModbusDataType.Bool)).ToList();
        ReadPlanner.Plan(bits, new ReadPlanLimits()).Select(r => (int)r.Count).ShouldBe([2000, 2000, 500]);

        // A device limited to 10 registers per read: a 4-register value never straddles two reads.
        var limited = ReadPlanner.Plan(
            [Point("a", ModbusTable.HoldingRegisters, 0, ModbusDataType.Float64), Point("b", ModbusTable.HoldingRegisters, 4, ModbusDataType.Float64), Point("c", ModbusTable.HoldingRegisters, 8, ModbusDataType.Float64)],
            new ReadPlanLimits(MaxRegistersPerRead: 10));
        limited.Select(r => (r.Address, r.Count)).ShouldBe([((ushort)0, (ushort)8), ((ushort)8, (ushort)4)]);
    }

    [Fact]
    public void Keeps_tables_apart_and_lets_bit_points_share_a_register()
    {
        var plan = ReadPlanner.Plan(TestDevice.Profile.Points, new ReadPlanLimits());

        plan.Select(r => (r.Table, r.Address, r.Count)).ShouldBe(
        [
            (ModbusTable.Coils, (ushort)0, (ushort)1),
            (ModbusTable.DiscreteInputs, (ushort)5, (ushort)1),
            (ModbusTable.HoldingRegisters, (ushort)10, (ushort)21),
            (ModbusTable.InputRegisters, (ushort)0, (ushort)1),
        ]);
        var holding = plan[2];
        holding.Points.Where(p => p.Point.Type == ModbusDataType.Bit).Select(p => p.Offset).ShouldBe([20, 20]);
        plan.SelectMany(r => r.Points).ShouldNotContain(p => p.Point.Id == "serial", "String points are not telemetry");
    }

    [Fact]
    public void Zero_gap_merges_only_adjacent_points()
    {
        var plan = ReadPlanner.Plan(
            [Point("a", ModbusTable.DiscreteInputs, 0, ModbusDataType.Bool), Point("b", ModbusTable.DiscreteInputs, 1, ModbusDataType.Bool), Point("c", ModbusTable.DiscreteInputs, 3, ModbusDataType.Bool)],
            new ReadPlanLimits(MaxBitGap: 0));
        plan.Select(r => (r.Address, r.Count)).ShouldBe([((ushort)0, (ushort)2), ((ushort)3, (ushort)1)]);
    }

    [Fact]
    public void Plans_every_shipped_profile_within_the_modbus_limits()
    {
        var profiles = new DeviceProfileCatalog().GetProfiles(null);
        profiles.ShouldNotBeEmpty("the profiles are copied beside the binaries");
        foreach (var profile in profiles.Values)
        {
            var plan = ReadPlanner.Plan(profile.Points, new ReadPlanLimits());
            plan.SelectMany(r => r.Points).Count().ShouldBe(profile.Points.Count(p => p.Type != ModbusDataType.String), profile.Model);
            foreach (var read in plan)
            {
                ((int)read.Count).ShouldBeLessThanOrEqualTo(read.IsBitRead ? 2000 : 125, profile.Model);
                read.Points.ShouldAllBe(p => p.Offset + p.Point.Span <= read.Count);
            }
        }
    }
}
