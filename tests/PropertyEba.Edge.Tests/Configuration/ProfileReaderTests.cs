using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Tests.Configuration;

public sealed class ProfileReaderTests
{
    private static string Profile(params string[] points) =>
        $$"""{ "model": "m1", "name": "M1", "system": "power", "points": [ {{string.Join(",", points)}} ] }""";

    [Fact]
    public void Reports_every_bad_field_of_every_point_at_once_with_value_and_allowed_values()
    {
        var (profile, problems) = DeviceProfileReader.Read(Profile(
            """{ "id": "v", "name": "V", "kind": "analog", "table": "inputs", "address": 0, "type": "Float" }""",
            """{ "id": "i", "name": "I", "kind": "analogue", "table": "input", "address": 2, "type": "Float32", "order": "DCAB" }""",
            """{ "id": "p", "name": "P", "kind": "analog", "table": "input", "address": 4, "type": "Float32", "Unit": "kW", "criticality": "urgent" }"""),
            "m1.json");

        profile.ShouldBeNull();
        problems.ShouldAllBe(p => p.File == "m1.json" && p.Severity == ProblemSeverity.Error);
        problems.ShouldContain(p => p.Field == "points[0].table" && p.Value == "'inputs'" && p.Allowed == "coil, discrete, holding, input" && p.Message.StartsWith("point 'v'"));
        problems.ShouldContain(p => p.Field == "points[0].type" && p.Value == "'Float'" && p.Allowed!.Contains("Float32"));
        problems.ShouldContain(p => p.Field == "points[1].kind" && p.Value == "'analogue'" && p.Allowed == "analog, state, counter, command" && p.Message.StartsWith("point 'i'"));
        problems.ShouldContain(p => p.Field == "points[1].order" && p.Allowed == "ABCD, CDAB, BADC, DCBA");
        problems.ShouldContain(p => p.Field == "points[2].Unit" && p.Message.Contains("did you mean 'unit'"));
        problems.ShouldContain(p => p.Field == "points[2].criticality" && p.Allowed == "normal, high, alarm");
        problems.Count.ShouldBe(6, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [InlineData("input", 30005, 4)]
    [InlineData("holding", 40001, 0)]
    [InlineData("discrete", 10010, 9)]
    [InlineData("input", 300005, 4)]
    public void Catches_a_one_based_register_number_given_as_a_protocol_address(string table, int address, int suggested)
    {
        var type = table == "discrete" ? "Bool" : "UInt16";
        var (_, problems) = DeviceProfileReader.Read(Profile($$"""{ "id": "x", "name": "X", "kind": "analog", "table": "{{table}}", "address": {{address}}, "type": "{{type}}" }"""), "m1.json");

        var problem = problems.ShouldHaveSingleItem();
        problem.Field.ShouldBe("points[0].address");
        problem.Message.ShouldContain("looks like a 1-based register number");
        problem.Message.ShouldContain($"did you mean addressBase: 1 / address {suggested}?");
    }

    [Theory]
    [InlineData("input", 30001, 0)]
    [InlineData("input", 30005, 4)]
    [InlineData("input", 300100, 99)]
    [InlineData("holding", 40010, 9)]
    [InlineData("holding", 5, 4)]
    [InlineData("holding", 30001, 30000)] // not the holding prefix: a plain 1-based number
    [InlineData("coil", 1, 0)]
    public void AddressBase_1_reads_vendor_register_numbers(string table, int written, int expected)
    {
        var type = table == "coil" ? "Bool" : "UInt16";
        var (profile, problems) = DeviceProfileReader.Read(Profile($$"""{ "id": "x", "name": "X", "kind": "analog", "table": "{{table}}", "address": {{written}}, "addressBase": 1, "type": "{{type}}" }"""), "m1.json");

        problems.ShouldBeEmpty(string.Join(Environment.NewLine, problems));
        profile!.Points[0].Address.ShouldBe((ushort)expected);
        profile.Points[0].AddressBase.ShouldBe(1);
        profile.Points[0].WrittenAddress.ShouldBe(written);
    }

    [Fact]
    public void An_explicit_address_base_0_accepts_a_large_protocol_address()
    {
        // SunSpec devices really start their map at protocol address 40000.
        var (profile, problems) = DeviceProfileReader.Read(Profile("""{ "id": "x", "name": "X", "kind": "analog", "table": "holding", "address": 40001, "addressBase": 0 }"""), "m1.json");

        problems.ShouldBeEmpty();
        profile!.Points[0].Address.ShouldBe((ushort)40001);
    }

    [Theory]
    [InlineData("big", "big", RegisterOrder.ABCD)]
    [InlineData("big", "little", RegisterOrder.CDAB)]
    [InlineData("little", "big", RegisterOrder.BADC)]
    [InlineData("little", "little", RegisterOrder.DCBA)]
    public void Byte_and_word_order_map_to_the_register_order(string byteOrder, string wordOrder, RegisterOrder expected)
    {
        var (profile, problems) = DeviceProfileReader.Read(Profile($$"""{ "id": "x", "name": "X", "kind": "analog", "table": "holding", "address": 0, "type": "Float32", "byteOrder": "{{byteOrder}}", "wordOrder": "{{wordOrder}}" }"""), "m1.json");

        problems.ShouldBeEmpty();
        profile!.Points[0].Order.ShouldBe(expected);
    }

    [Fact]
    public void Reads_scale_offset_unit_deadband_criticality_and_range()
    {
        var (profile, problems) = DeviceProfileReader.Read(Profile(
            """{ "id": "t", "name": "T", "kind": "analog", "table": "input", "address": 3, "type": "Int16", "scale": 0.1, "offset": -40, "unit": "°C", "deadband": 0.5, "criticality": "high", "min": -40, "max": 125 }"""), "m1.json");

        problems.ShouldBeEmpty();
        var p = profile!.Points[0];
        (p.Table, p.Type, p.Scale, p.Offset, p.Unit, p.Deadband, p.Criticality, p.Min, p.Max)
            .ShouldBe((ModbusTable.InputRegisters, ModbusDataType.Int16, 0.1, -40.0, "°C", (double?)0.5, PointCriticality.High, (double?)-40, (double?)125));
    }

    [Fact]
    public void Shipped_profiles_load_with_the_defaults()
    {
        var set = DeviceProfileCatalog.Load(Path.Combine(PropertyEba.Testing.RepositoryRoot.Path, "edge", "profiles"), null);

        set.Problems.ShouldBeEmpty(string.Join(Environment.NewLine, set.Problems));
        set.Profiles.Count.ShouldBeGreaterThanOrEqualTo(15);
        set.Profiles.Values.SelectMany(p => p.Points).ShouldAllBe(p => p.AddressBase == 0 && p.Criticality == PointCriticality.Normal && p.Deadband == null);
    }
}
