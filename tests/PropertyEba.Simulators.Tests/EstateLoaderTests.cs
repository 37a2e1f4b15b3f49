using PropertyEba.Modbus.Profiles;
using PropertyEba.Simulators.Estates;

namespace PropertyEba.Simulators.Tests;

public sealed class EstateLoaderTests
{
    private static readonly IReadOnlyDictionary<string, DeviceProfile> Profiles =
        DeviceProfileLoader.LoadDirectoryAsync(DeviceProfileLoader.DefaultDirectory, CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public async Task Sample_estates_ship_beside_the_binary_and_are_valid()
    {
        EstateLoader.SampleNames().ShouldBe(["demo", "garden"]);
        foreach (var name in EstateLoader.SampleNames())
        {
            EstateLoader.Validate(await EstateLoader.LoadAsync(name, CancellationToken.None), Profiles).ShouldBeEmpty(name);
        }
    }

    [Fact]
    public void Every_problem_of_a_site_file_is_reported_at_once_naming_device_and_field()
    {
        var estate = EstateLoader.Parse("""
            { "name": "bad", "timeZone": "Mars/Olympus",
              "devices": [
                { "id": "a", "model": "warp-core" },
                { "id": "b", "model": "water-tank-level", "unitId": 300, "parameters": { "colour": 1 } },
                { "id": "c", "model": "pump-set-duplex", "port": 1502, "unitId": 1, "links": { "fills": "nowhere", "drains": "a" } },
                { "id": "c", "model": "fan-controller", "port": 1502, "unitId": 1 }
              ],
              "script": [ { "at": "00:00:10", "fault": "meteor" } ] }
            """, "bad.json");
        var problems = EstateLoader.Validate(estate, Profiles);
        problems.ShouldContain(p => p.Contains("Mars/Olympus"));
        problems.ShouldContain(p => p.Contains("'a'") && p.Contains("warp-core"));
        problems.ShouldContain(p => p.Contains("'b'") && p.Contains("unitId") && p.Contains("300"));
        problems.ShouldContain(p => p.Contains("'b'") && p.Contains("colour") && p.Contains("heightM"));
        problems.ShouldContain(p => p.Contains("'c'") && p.Contains("drains") && p.Contains("fills"));
        problems.ShouldContain(p => p.Contains("defined twice"));
        problems.ShouldContain(p => p.Contains("unit 1") && p.Contains("1502"));
        problems.ShouldContain(p => p.Contains("meteor"));
    }

    [Fact]
    public async Task Link_to_a_device_of_the_wrong_kind_fails_at_start_naming_it()
    {
        var estate = EstateLoader.Parse("""
            { "name": "links", "devices": [
                { "id": "fan", "model": "fan-controller" },
                { "id": "pumps", "model": "pump-set-duplex", "links": { "fills": "fan" } } ] }
            """, "links.json");
        var ex = await Should.ThrowAsync<EstateFileException>(() => SimulatedEstate.StartAsync(estate, Profiles, new SimulationOptions(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, CancellationToken.None));
        ex.Message.ShouldContain("'fills' names 'fan' (fan-controller), which is not a water tank");
    }

    [Fact]
    public async Task Unknown_estate_name_lists_the_samples()
    {
        var ex = await Should.ThrowAsync<EstateFileException>(() => EstateLoader.LoadAsync("atlantis", CancellationToken.None));
        ex.Message.ShouldContain("demo");
        ex.Message.ShouldContain("garden");
    }

    [Fact]
    public async Task Invalid_simulation_options_are_refused_naming_field_and_range()
    {
        var ex = await Should.ThrowAsync<ArgumentException>(() => SimulatedEstate.StartAsync("demo", new SimulationOptions { Speed = 0, TickInterval = TimeSpan.Zero }, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, CancellationToken.None));
        ex.Message.ShouldContain("Speed");
        ex.Message.ShouldContain("TickInterval");
    }

    [Fact]
    public async Task Devices_sharing_a_port_answer_as_units_of_one_slave()
    {
        var estate = EstateLoader.Parse("""
            { "name": "shared", "devices": [
                { "id": "t1", "model": "water-tank-level", "unitId": 1, "port": 0 },
                { "id": "m1", "model": "water-meter", "unitId": 7 } ],
              "gateway": { "port": 0 } }
            """, "shared.json");
        await using var running = await SimulatedEstate.StartAsync(estate, Profiles, new SimulationOptions(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, CancellationToken.None);
        running.Devices.Select(d => d.Port).Distinct().Count().ShouldBe(1);
        await using var meter = new PointReader(running, "m1");
        meter.Unit.ShouldBe((byte)7);
        (await meter.ReadAsync("totalVolume")).ShouldBeGreaterThan(54_000);
    }
}
