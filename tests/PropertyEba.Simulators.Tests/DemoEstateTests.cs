using Microsoft.Extensions.Logging.Abstractions;
using PropertyEba.Testing;

namespace PropertyEba.Simulators.Tests;

public sealed class DemoEstateTests : IAsyncLifetime
{
    private SimulatedEstate _estate = null!;

    public async Task InitializeAsync() =>
        _estate = await SimulatedEstate.StartAsync("demo", new SimulationOptions(), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

    public async Task DisposeAsync() => await _estate.DisposeAsync();

    [Fact]
    public void Demo_serves_tank_pump_set_and_meter_on_free_loopback_ports()
    {
        _estate.Name.ShouldBe("demo");
        _estate.Devices.Select(d => (d.DeviceId, d.Model)).ShouldBe([("tank-1", "water-tank-level"), ("pumps-1", "pump-set-duplex"), ("meter-1", "power-meter-3p")]);
        _estate.Devices.ShouldAllBe(d => d.Host == "127.0.0.1" && d.Port > 0 && d.UnitId == 1);
        _estate.Devices.Select(d => d.Port).Distinct().Count().ShouldBe(3);
        _estate.AvailableFaults.ShouldContain("tank-low");
        _estate.AvailableFaults.ShouldContain("pump-trip");
    }

    [Fact]
    public async Task Tank_level_read_over_modbus_matches_the_simulated_value()
    {
        await using var tank = new PointReader(_estate, "tank-1");
        var level = await tank.ReadAsync("level");
        level.ShouldBeInRange(1.0, 3.0);
        Math.Abs(level - _estate.ReadValue("tank-1", "level")).ShouldBeLessThan(0.05);
    }

    [Fact]
    public async Task Tank_low_fault_takes_the_level_below_half_a_metre_within_five_seconds()
    {
        await using var tank = new PointReader(_estate, "tank-1");
        _estate.InjectFault("tank-low");
        await Eventually.UntilAsync(ct => tank.ReadAsync("level", ct), l => l < 0.5, "tank level under 0.5 m over Modbus", TimeSpan.FromSeconds(5));
        await Eventually.UntilAsync(ct => tank.ReadAsync("lowLevel", ct), v => v == 1, "low-level switch over Modbus", TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Pump_trip_sets_pump_1_vfd_fault_stops_it_and_pump_2_takes_over()
    {
        await using var pumps = new PointReader(_estate, "pumps-1");
        _estate.InjectFault("pump-trip", "pumps-1");
        await Eventually.UntilAsync(
            async ct => (await pumps.ReadAsync("pump1.vfdFault", ct), await pumps.ReadAsync("pump1.running", ct), await pumps.ReadAsync("pump2.running", ct)),
            s => s == (1, 0, 1),
            "pump 1 VFD fault, pump 1 stopped, pump 2 running",
            TimeSpan.FromSeconds(5));
        _estate.ClearFaults();
        await Eventually.UntilAsync(ct => pumps.ReadAsync("pump1.vfdFault", ct), v => v == 0, "VFD fault reset after clearing", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Unknown_fault_is_refused_with_the_allowed_faults_named()
    {
        var ex = Should.Throw<ArgumentException>(() => _estate.InjectFault("volcano"));
        ex.Message.ShouldContain("tank-low");
        ex.Message.ShouldContain("pump-trip");
    }

    [Fact]
    public void Fault_that_does_not_fit_the_device_is_refused()
    {
        var ex = Should.Throw<ArgumentException>(() => _estate.InjectFault("pump-trip", "tank-1"));
        ex.Message.ShouldContain("pumps-1");
    }
}
