namespace PropertyEba.Simulators.Tests;

/// <summary>Behaviour of the models beyond the demo's water loop, observed through Modbus on a fake clock.</summary>
public sealed class ModelPhysicsTests
{
    private static readonly DateTimeOffset NightUtc = new(2026, 6, 1, 19, 0, 0, TimeSpan.Zero); // 03:00 in Shanghai

    [Fact]
    public async Task Municipal_inlet_pressure_sags_at_the_morning_peak()
    {
        await using var night = await EstateHarness.StartAsync("garden", start: NightUtc);
        await using var morning = await EstateHarness.StartAsync("garden");
        night.Advance(TimeSpan.FromMinutes(10));
        morning.Advance(TimeSpan.FromMinutes(10));
        var nightKpa = await night.ReadAsync("inlet-1", "inletPressure");
        var morningKpa = await morning.ReadAsync("inlet-1", "inletPressure");
        nightKpa.ShouldBeGreaterThan(265);
        (nightKpa - morningKpa).ShouldBeGreaterThan(40);
    }

    [Fact]
    public async Task Transformer_windings_run_hotter_under_the_evening_load_than_at_night()
    {
        await using var night = await EstateHarness.StartAsync("garden", start: NightUtc);
        await using var evening = await EstateHarness.StartAsync("garden", start: new DateTimeOffset(2026, 6, 1, 11, 0, 0, TimeSpan.Zero)); // 19:00
        night.Advance(TimeSpan.FromHours(1));
        evening.Advance(TimeSpan.FromHours(1));
        var cool = await night.ReadAsync("transformer-1", "windingTempA");
        var warm = await evening.ReadAsync("transformer-1", "windingTempA");
        (warm - cool).ShouldBeGreaterThan(5);
        (await evening.ReadAsync("transformer-1", "coreTemp")).ShouldBeLessThan(warm);
        (await evening.ReadAsync("meter-main", "activePower")).ShouldBeGreaterThan(await night.ReadAsync("meter-main", "activePower"));
    }

    [Fact]
    public async Task Generator_battery_voltage_dips_while_cranking_and_engine_hours_count_while_running()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        h.Advance(TimeSpan.FromSeconds(2));
        (await h.ReadAsync("generator-1", "batteryVoltage")).ShouldBe(27.2, 0.3);
        var hours = await h.ReadAsync("generator-1", "engineHours");
        h.Estate.InjectFault("mains-failure");
        h.Advance(TimeSpan.FromSeconds(6));
        (await h.ReadAsync("generator-1", "engineRunning")).ShouldBe(1);
        (await h.ReadAsync("generator-1", "batteryVoltage")).ShouldBeLessThan(23, "cranking");
        h.Advance(TimeSpan.FromMinutes(30));
        (await h.ReadAsync("generator-1", "batteryVoltage")).ShouldBe(27.8, 0.3, "charging from the alternator");
        (await h.ReadAsync("generator-1", "engineHours") - hours).ShouldBe(0.5, 0.11);
        (await h.ReadAsync("generator-1", "coolantTemp")).ShouldBeGreaterThan(70);
    }

    [Fact]
    public async Task Supply_water_meter_counts_what_the_estate_draws_from_the_tank()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        var before = await h.ReadAsync("water-meter-supply", "totalVolume");
        var flows = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            h.Advance(TimeSpan.FromMinutes(2));
            flows.Add(await h.ReadAsync("water-meter-supply", "flowRate"));
        }

        var counted = await h.ReadAsync("water-meter-supply", "totalVolume") - before;
        counted.ShouldBe(flows.Average(), flows.Average() * 0.1, "an hour at the average flow");
        flows.Average().ShouldBeInRange(30, 65, "the morning peak of a 60 m³/h estate");
    }
}
