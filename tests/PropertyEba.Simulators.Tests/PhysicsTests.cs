namespace PropertyEba.Simulators.Tests;

/// <summary>The estate's physics, observed through Modbus on a fake clock.</summary>
public sealed class PhysicsTests
{
    [Fact]
    public async Task Pump_set_fills_the_tank_stops_above_the_stop_level_and_the_other_pump_starts_below_the_start_level()
    {
        await using var h = await EstateHarness.StartAsync("demo");
        var seen = new List<(double Level, double P1, double P2)>();
        for (var minute = 0; minute < 8 * 60; minute += 5)
        {
            seen.Add((await h.ReadAsync("tank-1", "level"), await h.ReadAsync("pumps-1", "pump1.running"), await h.ReadAsync("pumps-1", "pump2.running")));
            h.Advance(TimeSpan.FromMinutes(5));
        }

        seen[0].P1.ShouldBe(1, "pump 1 is duty and filling at the start (level 1.8 m is in the lower half)");
        var stop = seen.FindIndex(s => s.P1 == 0 && s.P2 == 0);
        stop.ShouldBeGreaterThan(0, "the pumps stop once the tank is full");
        seen[stop].Level.ShouldBeGreaterThan(2.5, "stopped near the 2.6 m stop level");
        seen.Take(stop).ShouldAllBe(s => s.Level < 2.7);
        seen.Skip(1).Take(stop - 1).Select(s => s.Level).ShouldBe(seen.Skip(1).Take(stop - 1).Select(s => s.Level).Order(), "the level rises while pumping");
        var restart = seen.FindIndex(stop, s => s.P2 == 1);
        restart.ShouldBeGreaterThan(stop, "duty alternates: pump 2 starts the next fill");
        seen[restart - 1].Level.ShouldBeLessThan(1.3, "the next fill starts below the 1.2 m start level");
        seen.Skip(stop).Take(restart - stop).ShouldAllBe(s => s.P1 == 0, "pump 1 stays off while pump 2 is duty");
    }

    [Fact]
    public async Task Outlet_pressure_and_meter_power_follow_the_running_pump()
    {
        await using var h = await EstateHarness.StartAsync("demo");
        h.Advance(TimeSpan.FromSeconds(10));
        var pressureRunning = await h.ReadAsync("pumps-1", "outletPressure");
        var powerRunning = await h.ReadAsync("meter-1", "activePower");
        var frequency = await h.ReadAsync("pumps-1", "pump1.frequency");
        frequency.ShouldBe(45, 0.01);
        pressureRunning.ShouldBe(60 + 400 * 0.81, 10);

        // Full tank: the pumps stop; the meter keeps only the base load.
        h.Estate.InjectFault("tank-overflow");
        h.Advance(TimeSpan.FromSeconds(30));
        (await h.ReadAsync("pumps-1", "pump1.running")).ShouldBe(0);
        var pressureStopped = await h.ReadAsync("pumps-1", "outletPressure");
        var powerStopped = await h.ReadAsync("meter-1", "activePower");
        pressureStopped.ShouldBe(60, 5);
        (powerRunning - powerStopped).ShouldBe(7.5 * 0.9 * 0.9 * 0.9, 1.0, "a pump at 45 Hz draws 7.5 kW × 0.9³");
        (await h.ReadAsync("meter-1", "currentL1")).ShouldBe(powerStopped * 1000 / (3 * 220 * 0.9), powerStopped * 1000 / (3 * 220 * 0.9) * 0.1);
    }

    [Fact]
    public async Task Energy_counter_integrates_power()
    {
        await using var h = await EstateHarness.StartAsync("demo");
        var before = await h.ReadAsync("meter-1", "energyImport");
        var powers = new List<double>();
        for (var i = 0; i < 60; i++)
        {
            h.Advance(TimeSpan.FromMinutes(1));
            powers.Add(await h.ReadAsync("meter-1", "activePower"));
        }

        var after = await h.ReadAsync("meter-1", "energyImport");
        (after - before).ShouldBe(powers.Average(), powers.Average() * 0.05, "one hour at the average power");
    }

    [Fact]
    public async Task Water_demand_follows_the_daily_profile_quiet_at_night()
    {
        // 2026-06-01 19:00 UTC = 03:00 in Shanghai.
        await using var night = await EstateHarness.StartAsync("garden", start: new DateTimeOffset(2026, 6, 1, 19, 0, 0, TimeSpan.Zero));
        await using var morning = await EstateHarness.StartAsync("garden");
        night.Advance(TimeSpan.FromMinutes(1));
        morning.Advance(TimeSpan.FromMinutes(1));
        var nightFlow = await night.ReadAsync("water-meter-clubhouse", "flowRate");
        var morningFlow = await morning.ReadAsync("water-meter-clubhouse", "flowRate");
        nightFlow.ShouldBeLessThan(0.5);
        morningFlow.ShouldBeGreaterThan(2.0);
    }

    [Fact]
    public async Task Same_seed_gives_the_same_values_and_another_seed_other_noise()
    {
        await using var a = await EstateHarness.StartAsync("demo", seed: 7);
        await using var b = await EstateHarness.StartAsync("demo", seed: 7);
        await using var c = await EstateHarness.StartAsync("demo", seed: 8);
        foreach (var h in new[] { a, b, c })
        {
            h.Advance(TimeSpan.FromMinutes(3));
        }

        var va = await a.ReadAsync("meter-1", "voltageL1");
        (await b.ReadAsync("meter-1", "voltageL1")).ShouldBe(va);
        (await a.ReadAsync("tank-1", "level")).ShouldBe(await b.ReadAsync("tank-1", "level"));
        (await c.ReadAsync("meter-1", "voltageL1")).ShouldNotBe(va);
    }

    [Fact]
    public async Task Speed_factor_runs_simulated_time_faster()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(EstateHarness.Start);
        await using var fast = await SimulatedEstate.StartAsync("demo", new SimulationOptions { Speed = 60, TickInterval = TimeSpan.FromSeconds(1) }, time, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        fast.SimulatedElapsed.ShouldBe(TimeSpan.FromHours(1), TimeSpan.FromSeconds(1));
        var runHours = fast.ReadValue("pumps-1", "pump1.runHours");
        runHours.ShouldBeGreaterThan(8123.4 + 0.5, "pump 1 ran most of a simulated hour in one real minute");
    }

    [Fact]
    public async Task Fan_starts_when_a_master_writes_its_coil_and_the_main_meter_sees_its_power()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        h.Advance(TimeSpan.FromSeconds(5));
        var fan = h.Device("fan-pump-room");
        (await fan.ReadAsync("fanRunning")).ShouldBe(0);
        var before = h.Estate.ReadValue("meter-main", "activePower");
        await fan.Master.WriteSingleCoilAsync(fan.Unit, 0, true);
        h.Advance(TimeSpan.FromSeconds(1));
        (await fan.ReadAsync("fanCommand")).ShouldBe(1);
        (await fan.ReadAsync("fanRunning")).ShouldBe(0, "the motor is still starting");
        h.Advance(TimeSpan.FromSeconds(3));
        (await fan.ReadAsync("fanRunning")).ShouldBe(1);
        (await fan.ReadAsync("motorCurrent")).ShouldBe(3.4, 0.2);
        var after = h.Estate.ReadValue("meter-main", "activePower");
        (after - before).ShouldBe(1.5, 3.0);
    }

    [Fact]
    public async Task Writes_to_read_only_registers_are_refused_with_illegal_data_address()
    {
        await using var h = await EstateHarness.StartAsync("demo");
        var pumps = h.Device("pumps-1");
        var ex = await Should.ThrowAsync<PropertyEba.Modbus.ModbusException>(() => pumps.Master.WriteSingleRegisterAsync(pumps.Unit, 0, 0));
        ex.ExceptionCode.ShouldBe(PropertyEba.Modbus.ModbusExceptionCode.IllegalDataAddress);
    }

    [Fact]
    public async Task Pressure_setpoint_written_by_a_master_is_kept()
    {
        await using var h = await EstateHarness.StartAsync("demo");
        var pumps = h.Device("pumps-1");
        Span<ushort> regs = stackalloc ushort[2];
        PropertyEba.Modbus.Codecs.RegisterCodec.Encode(420, regs, PropertyEba.Modbus.Codecs.ModbusDataType.Float32, PropertyEba.Modbus.Codecs.RegisterOrder.CDAB);
        await pumps.Master.WriteMultipleRegistersAsync(pumps.Unit, 6, [regs[0], regs[1]]);
        h.Advance(TimeSpan.FromSeconds(2));
        (await pumps.ReadAsync("pressureSetpoint")).ShouldBe(420);
        h.Estate.ReadValue("pumps-1", "pressureSetpoint").ShouldBe(420);
    }
}
