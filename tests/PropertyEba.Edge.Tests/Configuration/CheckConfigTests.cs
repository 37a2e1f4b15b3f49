using System.Reflection;
using Microsoft.Extensions.Configuration;
using PropertyEba.Edge.Configuration;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Tests.Configuration;

public sealed class CheckConfigTests : IDisposable
{
    private static readonly string Shipped = Path.Combine(PropertyEba.Testing.RepositoryRoot.Path, "edge", "profiles");
    private readonly string _dir = Directory.CreateTempSubdirectory("eba-check-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static EdgeConfigurationValidator Validator() => new(new DeviceProfileCatalog(Shipped));

    private const string GoodEstate = """
        { // comments are allowed
          "Tenant": "demo", "Site": "sunrise", "EdgeId": "edge-01",
          "Mqtt": { "Host": "127.0.0.1", "Port": 1883 },
          "Devices": [ { "DeviceId": "tank-1", "Model": "water-tank-level", "Host": "127.0.0.1", "Port": 5020, "UnitId": 1 } ]
        }
        """;

    [Fact]
    public void A_good_estate_file_has_no_problem_and_exits_zero()
    {
        var file = Write("estate.json", GoodEstate);
        var output = new StringWriter();

        var check = Validator().ValidateFile(file);
        var exit = CheckConfigCommand.Run([file], output);

        check.Problems.ShouldBeEmpty(string.Join(Environment.NewLine, check.Problems));
        check.Options!.Devices.ShouldHaveSingleItem().Model.ShouldBe("water-tank-level");
        exit.ShouldBe(0, output.ToString());
        output.ToString().ShouldContain("OK — 1 device(s)");
    }

    [Fact]
    public void Reports_every_structural_mistake_of_an_estate_file_and_exits_non_zero()
    {
        var file = Write("estate.json", """
            { "Tenant": "demo", "Site": "s1", "EdgeId": "e1",
              "Mqtt": { "Host": "h", "Prot": 1883 },
              "PollInterval": 5,
              "Devcies": [],
              "Devices": [ { "DeviceId": "d1", "Model": "water-tank-level", "Transport": "Serial", "Host": "h", "Port": "five" } ] }
            """);
        var output = new StringWriter();

        var exit = CheckConfigCommand.Run([file], output);
        var problems = Validator().ValidateFile(file).Problems;

        exit.ShouldBe(1);
        problems.ShouldContain(p => p.Field == "Edge:Mqtt:Prot" && p.Message.Contains("did you mean 'Port'"));
        problems.ShouldContain(p => p.Field == "Edge:PollInterval" && p.Value == "5" && p.Message.Contains("hh:mm:ss"));
        problems.ShouldContain(p => p.Field == "Edge:Devcies" && p.Message.Contains("did you mean 'Devices'"));
        problems.ShouldContain(p => p.Field == "Edge:Devices[0]:Transport" && p.Value == "'Serial'" && p.Allowed == "Tcp, RtuOverTcp, Rtu");
        problems.ShouldContain(p => p.Field == "Edge:Devices[0]:Port" && p.Value == "'five'");
        problems.Count.ShouldBe(5, string.Join(Environment.NewLine, problems));
        output.ToString().ShouldContain($"error: {file}: Edge:Mqtt:Prot = 1883: unknown field 'Prot'");
    }

    [Fact]
    public void Reports_value_errors_and_every_profile_error_of_every_file_together()
    {
        Write("profiles/meter-a.json", """
            { "model": "meter-a", "name": "A", "system": "power", "points": [
              { "id": "v", "name": "V", "kind": "analog", "table": "inputs", "address": 0, "type": "Float32" },
              { "id": "i", "name": "I", "kind": "analog", "table": "input", "address": 30005, "type": "Float" } ] }
            """);
        Write("profiles/meter-b.json", """{ "model": "meter-b", "name": "B", "system": "gas", "points": [] }""");
        var file = Write("estate.json", """
            { "Tenant": "demo", "Site": "s 1", "EdgeId": "e1", "ProfilesDirectory": "profiles",
              "Devices": [ { "DeviceId": "d1", "Model": "meter-a", "Host": "h", "UnitId": 300 } ] }
            """);

        var problems = Validator().ValidateFile(file).Problems;

        var a = Path.Combine(_dir, "profiles", "meter-a.json");
        problems.ShouldContain(p => p.File == a && p.Field == "points[0].table" && p.Allowed == "coil, discrete, holding, input");
        problems.ShouldContain(p => p.File == a && p.Field == "points[1].address" && p.Message.Contains("did you mean addressBase: 1 / address 4?"));
        problems.ShouldContain(p => p.File == a && p.Field == "points[1].type" && p.Value == "'Float'");
        problems.ShouldContain(p => p.File.EndsWith("meter-b.json") && p.Field == "system" && p.Value == "'gas'");
        problems.ShouldContain(p => p.File.EndsWith("meter-b.json") && p.Field == "points");
        problems.ShouldContain(p => p.File == file && p.Field == "Edge:Site" && p.Value == "'s 1'");
        problems.ShouldContain(p => p.File == file && p.Field == "Edge:Devices[0]:UnitId" && p.Value == "300" && p.Allowed == "0..255");
        problems.ShouldContain(p => p.File == file && p.Field == "Edge:Devices[0]:Model" && p.Value == "'meter-a'");
    }

    [Fact]
    public void A_local_profile_overrides_the_shipped_one_and_check_config_says_so()
    {
        var shipped = File.ReadAllText(Path.Combine(Shipped, "water-tank-level.json"));
        Write("profiles/my-tank.json", shipped.Replace("\"scale\": 0.001", "\"scale\": 0.01", StringComparison.Ordinal));
        var file = Write("estate.json", GoodEstate.Replace("\"Tenant\"", "\"ProfilesDirectory\": \"profiles\", \"Tenant\"", StringComparison.Ordinal));
        var output = new StringWriter();

        var check = Validator().ValidateFile(file);
        var exit = CheckConfigCommand.Run([file], output);

        check.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, check.Problems));
        var note = check.Problems.ShouldHaveSingleItem();
        note.Severity.ShouldBe(ProblemSeverity.Notice);
        note.Message.ShouldContain("overrides the shipped profile 'water-tank-level'");
        check.Profiles!.Files["water-tank-level"].ShouldEndWith("my-tank.json");
        check.Profiles.Profiles.ShouldContainKey("power-meter-3p", "the shipped profiles stay available beside the local ones");
        exit.ShouldBe(0);
        output.ToString().ShouldContain("note: model = 'water-tank-level': this local profile overrides");
    }

    [Fact]
    public void An_estate_file_replaces_the_shipped_edge_section_wholesale()
    {
        var file = Write("estate.json", GoodEstate);
        var check = Validator().ValidateFile(file);
        var shippedSettings = Path.Combine(PropertyEba.Testing.RepositoryRoot.Path, "edge", "PropertyEba.Edge", "appsettings.json");

        var config = new ConfigurationBuilder()
            .AddJsonFile(shippedSettings)
            .AddInMemoryCollection(EdgeConfigurationValidator.ToConfigurationKeys(check.Options!, File.ReadAllText(file)))
            .Build();
        var options = config.GetSection(EdgeOptions.SectionName).Get<EdgeOptions>()!;

        options.Devices.ShouldHaveSingleItem().DeviceId.ShouldBe("tank-1");
        options.Site.ShouldBe("sunrise");
        options.BufferDirectory.ShouldBe(Path.Combine(_dir, "data", "edge-buffer"), "relative paths of an estate file are relative to its folder");
    }

    [Fact]
    public void Every_edge_option_is_known_to_the_estate_file_schema()
    {
        static IEnumerable<string> Names(Type t) => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name);

        Names(typeof(EdgeOptions)).ShouldBe(EdgeConfigurationSchema.Root.Select(f => f.Name), ignoreOrder: true);
        Names(typeof(EdgeMqttOptions)).ShouldBe(EdgeConfigurationSchema.Mqtt.Select(f => f.Name), ignoreOrder: true);
        Names(typeof(EdgeDeviceOptions)).ShouldBe(EdgeConfigurationSchema.Device.Select(f => f.Name), ignoreOrder: true);
    }
}
