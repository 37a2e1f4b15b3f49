using PropertyEba.Modbus;

namespace PropertyEba.Simulators.Tests;

/// <summary>Every fault of the catalogue, injected into the sample estate and observed through Modbus.</summary>
public sealed class FaultTests
{
    [Theory]
    [InlineData("fire-panel-fault", "fire-panel", "panelFault")]
    [InlineData("co2-panel-fault", "co2-power-room", "panelFault")]
    [InlineData("water-ingress", "ingress-power-room", "waterDetected")]
    [InlineData("fan-trip", "fan-power-room", "fanFault")]
    [InlineData("fire-pump-fault", "fire-pumps", "pumpFault")]
    [InlineData("pump-trip", "pumps-1", "pump1.vfdFault")]
    public async Task State_fault_sets_its_bit_and_clearing_resets_it(string fault, string device, string point)
    {
        await using var h = await EstateHarness.StartAsync("garden");
        h.Advance(TimeSpan.FromSeconds(3));
        (await h.ReadAsync(device, point)).ShouldBe(0);
        h.Estate.InjectFault(fault, device);
        h.Advance(TimeSpan.FromSeconds(3));
        (await h.ReadAsync(device, point)).ShouldBe(1, $"{fault} sets {device}.{point}");
        h.Estate.ActiveFaults.ShouldContain(new Faults.ActiveFault(fault, device));
        h.Estate.ClearFaults();
        h.Advance(TimeSpan.FromSeconds(65));
        (await h.ReadAsync(device, point)).ShouldBe(0, $"clearing resets {device}.{point} (a wet floor dries in 60 s)");
    }

    [Fact]
    public async Task Pump_trip_with_a_full_tank_runs_pump_2_for_the_takeover_time_then_the_level_controller_stops_it()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("estate-").FullName, "full.json");
        await File.WriteAllTextAsync(file, """
            { "name": "full", "devices": [
                { "id": "tank-1", "model": "water-tank-level", "parameters": { "initialLevelM": 2.5 } },
                { "id": "pumps-1", "model": "pump-set-duplex", "parameters": { "stopLevelM": 2.2 }, "links": { "fills": "tank-1" } } ] }
            """);
        await using var h = await EstateHarness.StartAsync(file);
        h.Advance(TimeSpan.FromSeconds(5));
        (await h.ReadAsync("pumps-1", "pump1.running") + await h.ReadAsync("pumps-1", "pump2.running")).ShouldBe(0, "the tank is full");
        h.Estate.InjectFault("pump-trip");
        h.Advance(TimeSpan.FromSeconds(5));
        (await h.ReadAsync("pumps-1", "pump2.running")).ShouldBe(1);
        h.Advance(TimeSpan.FromMinutes(3));
        (await h.ReadAsync("pumps-1", "pump2.running")).ShouldBe(0);
        (await h.ReadAsync("pumps-1", "pump1.vfdFault")).ShouldBe(1, "the trip stays until cleared");
        (await h.ReadAsync("tank-1", "highLevel")).ShouldBe(0, "no overflow");
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    [Fact]
    public async Task Fan_trip_stops_a_running_fan()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        h.Advance(TimeSpan.FromSeconds(3));
        (await h.ReadAsync("fan-power-room", "fanRunning")).ShouldBe(1);
        h.Estate.InjectFault("fan-trip", "fan-power-room");
        h.Advance(TimeSpan.FromSeconds(1));
        (await h.ReadAsync("fan-power-room", "fanRunning")).ShouldBe(0);
        (await h.ReadAsync("fan-power-room", "motorCurrent")).ShouldBe(0);
    }

    [Fact]
    public async Task Tank_overflow_raises_the_level_over_the_overflow_switch_and_wets_the_pump_room_floor()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        h.Estate.InjectFault("tank-overflow");
        h.Advance(TimeSpan.FromSeconds(10));
        (await h.ReadAsync("tank-1", "highLevel")).ShouldBe(1);
        (await h.ReadAsync("tank-1", "level")).ShouldBeGreaterThan(3.4);
        (await h.ReadAsync("ingress-pump-room", "waterDetected")).ShouldBe(1);
        (await h.ReadAsync("ingress-power-room", "waterDetected")).ShouldBe(0, "the power room is dry");
    }

    [Fact]
    public async Task Pipe_burst_collapses_outlet_pressure_runs_the_pumps_flat_out_and_wets_the_floor()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        h.Advance(TimeSpan.FromSeconds(5));
        (await h.ReadAsync("pumps-1", "outletPressure")).ShouldBeGreaterThan(300);
        var level = await h.ReadAsync("tank-1", "level");
        h.Estate.InjectFault("pipe-burst");
        h.Advance(TimeSpan.FromSeconds(20));
        (await h.ReadAsync("pumps-1", "outletPressure")).ShouldBeLessThan(40);
        (await h.ReadAsync("pumps-1", "pump1.frequency")).ShouldBe(50);
        (await h.ReadAsync("ingress-pump-room", "waterDetected")).ShouldBe(1);
        h.Advance(TimeSpan.FromMinutes(10));
        (await h.ReadAsync("tank-1", "level")).ShouldBeLessThan(level, "water no longer reaches the tank");
    }

    [Fact]
    public async Task Leak_keeps_night_flow_above_the_leak_rate()
    {
        await using var h = await EstateHarness.StartAsync("garden", start: new DateTimeOffset(2026, 6, 1, 19, 0, 0, TimeSpan.Zero));
        h.Estate.InjectFault("leak", "water-meter-clubhouse");
        var before = await h.ReadAsync("water-meter-clubhouse", "totalVolume");
        h.Advance(TimeSpan.FromHours(1));
        (await h.ReadAsync("water-meter-clubhouse", "flowRate")).ShouldBeGreaterThan(1.2);
        ((await h.ReadAsync("water-meter-clubhouse", "totalVolume")) - before).ShouldBeGreaterThan(1.2, "an hour of leak on the counter");
    }

    [Fact]
    public async Task Tank_leak_shows_on_the_supply_meter()
    {
        await using var h = await EstateHarness.StartAsync("garden", start: new DateTimeOffset(2026, 6, 1, 19, 0, 0, TimeSpan.Zero));
        h.Advance(TimeSpan.FromSeconds(5));
        var quiet = await h.ReadAsync("water-meter-supply", "flowRate");
        h.Estate.InjectFault("leak", "tank-1");
        h.Advance(TimeSpan.FromSeconds(5));
        ((await h.ReadAsync("water-meter-supply", "flowRate")) - quiet).ShouldBe(1.5, 0.6);
    }

    [Fact]
    public async Task Transformer_overheat_raises_the_alarm_then_the_trip()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        h.Advance(TimeSpan.FromSeconds(5));
        (await h.ReadAsync("transformer-1", "windingTempA")).ShouldBeInRange(30, 100);
        (await h.ReadAsync("transformer-1", "overTempAlarm")).ShouldBe(0);
        h.Estate.InjectFault("transformer-overheat", "transformer-1");
        h.Advance(TimeSpan.FromMinutes(2));
        (await h.ReadAsync("transformer-1", "overTempAlarm")).ShouldBe(1);
        (await h.ReadAsync("transformer-1", "fansRunning")).ShouldBe(1);
        h.Advance(TimeSpan.FromMinutes(3));
        (await h.ReadAsync("transformer-1", "overTempTrip")).ShouldBe(1);
        (await h.ReadAsync("transformer-1", "windingTempA")).ShouldBeGreaterThan(150);
        (await h.ReadAsync("transformer-2", "overTempAlarm")).ShouldBe(0, "only the faulty transformer overheats");
    }

    [Fact]
    public async Task Mains_failure_starts_the_generator_which_takes_the_load_and_hands_back_when_mains_returns()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        h.Advance(TimeSpan.FromSeconds(2));
        (await h.ReadAsync("meter-main", "voltageL1")).ShouldBeInRange(200, 230);
        (await h.ReadAsync("lv-board", "incomer1.closed")).ShouldBe(1);
        h.Estate.InjectFault("mains-failure");
        h.Advance(TimeSpan.FromSeconds(2));
        (await h.ReadAsync("meter-main", "voltageL1")).ShouldBe(0);
        (await h.ReadAsync("lv-board", "incomer1.closed")).ShouldBe(0);
        (await h.ReadAsync("generator-1", "mainsAvailable")).ShouldBe(0);
        (await h.ReadAsync("pumps-1", "pump1.running")).ShouldBe(0, "no supply, no pumps");
        (await h.ReadAsync("fire-panel", "mainsPowerFault")).ShouldBe(1);
        h.Advance(TimeSpan.FromSeconds(5));
        (await h.ReadAsync("generator-1", "engineRunning")).ShouldBe(1);
        h.Advance(TimeSpan.FromSeconds(12));
        (await h.ReadAsync("generator-1", "generatorBreakerClosed")).ShouldBe(1);
        (await h.ReadAsync("lv-board", "generatorIncomer.closed")).ShouldBe(1);
        (await h.ReadAsync("meter-main", "voltageL1")).ShouldBeInRange(200, 230, "the generator supplies the board");
        (await h.ReadAsync("generator-1", "generatorPower")).ShouldBeGreaterThan(50);
        h.Estate.ClearFaults();
        h.Advance(TimeSpan.FromSeconds(2));
        (await h.ReadAsync("generator-1", "mainsRestored")).ShouldBe(1);
        (await h.ReadAsync("generator-1", "generatorBreakerClosed")).ShouldBe(1, "transfer back waits 30 s");
        h.Advance(TimeSpan.FromSeconds(30));
        (await h.ReadAsync("generator-1", "generatorBreakerClosed")).ShouldBe(0);
        (await h.ReadAsync("lv-board", "incomer1.closed")).ShouldBe(1);
        (await h.ReadAsync("generator-1", "engineRunning")).ShouldBe(1, "cooling down");
        h.Advance(TimeSpan.FromSeconds(62));
        (await h.ReadAsync("generator-1", "engineRunning")).ShouldBe(0);
        (await h.ReadAsync("generator-1", "mainsRestored")).ShouldBe(0);
    }

    [Fact]
    public async Task Battery_degraded_raises_internal_resistance_and_the_common_alarm()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        h.Advance(TimeSpan.FromSeconds(2));
        (await h.ReadAsync("generator-1", "batteryInternalResistance")).ShouldBe(5.2, 0.1);
        h.Estate.InjectFault("battery-degraded");
        h.Advance(TimeSpan.FromMinutes(3));
        (await h.ReadAsync("generator-1", "batteryInternalResistance")).ShouldBeGreaterThan(12);
        (await h.ReadAsync("generator-1", "commonAlarm")).ShouldBe(1);
    }

    [Fact]
    public async Task Fire_alarm_drops_the_fire_main_starts_the_main_fire_pump_and_draws_the_fire_pool()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        h.Advance(TimeSpan.FromSeconds(2));
        var pool = await h.ReadAsync("fire-tank", "level");
        (await h.ReadAsync("fire-pressure", "fireMainPressure")).ShouldBeInRange(540, 640);
        h.Estate.InjectFault("fire-alarm");
        h.Advance(TimeSpan.FromSeconds(2));
        (await h.ReadAsync("fire-panel", "fireAlarm")).ShouldBe(1);
        (await h.ReadAsync("fire-panel", "fireAlarmCount")).ShouldBe(2);
        (await h.ReadAsync("co2-power-room", "zoneAlarm")).ShouldBe(1);
        h.Advance(TimeSpan.FromSeconds(10));
        (await h.ReadAsync("fire-pumps", "mainPumpRunning")).ShouldBe(1);
        h.Advance(TimeSpan.FromSeconds(20));
        (await h.ReadAsync("fire-pressure", "fireMainPressure")).ShouldBeGreaterThan(700);
        (await h.ReadAsync("fire-pressure", "sprinklerPressure")).ShouldBeGreaterThan(650);
        h.Advance(TimeSpan.FromMinutes(10));
        (await h.ReadAsync("fire-tank", "level")).ShouldBeLessThan(pool - 0.1);
        h.Estate.ClearFaults();
        h.Advance(TimeSpan.FromSeconds(5));
        (await h.ReadAsync("fire-pumps", "mainPumpRunning")).ShouldBe(0);
    }

    [Fact]
    public async Task Fire_pump_fault_runs_the_standby_pump_when_called()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        h.Estate.InjectFault("fire-pump-fault");
        h.Estate.InjectFault("fire-alarm");
        h.Advance(TimeSpan.FromSeconds(15));
        (await h.ReadAsync("fire-pumps", "mainPumpRunning")).ShouldBe(0);
        (await h.ReadAsync("fire-pumps", "standbyPumpRunning")).ShouldBe(1);
    }

    [Fact]
    public async Task Jockey_pump_keeps_the_fire_main_between_its_start_and_stop_pressures()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        var pressures = new List<double>();
        for (var i = 0; i < 120; i++)
        {
            h.Advance(TimeSpan.FromMinutes(1));
            pressures.Add(await h.ReadAsync("fire-pressure", "fireMainPressure"));
        }

        pressures.ShouldAllBe(p => p > 540 && p < 640);
        (await h.ReadAsync("fire-pumps", "jockeyStarts")).ShouldBeGreaterThanOrEqualTo(4, "2 kPa/min leak-down over 2 h restarts the jockey every ~30 min");
        (await h.ReadAsync("fire-pumps", "mainPumpRunning")).ShouldBe(0, "the jockey alone holds the main");
    }

    [Fact]
    public async Task No_reply_makes_the_device_time_out()
    {
        await using var h = await EstateHarness.StartAsync("demo");
        h.Estate.InjectFault("no-reply", "meter-1");
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = h.Estate.Devices[2].Port, Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 });
        await Should.ThrowAsync<ModbusTimeoutException>(() => master.ReadInputRegistersAsync(1, 0, 2));
        (await h.ReadAsync("tank-1", "level")).ShouldBeGreaterThan(0, "other devices still answer");
    }

    [Fact]
    public async Task Exception_reply_answers_slave_device_failure()
    {
        await using var h = await EstateHarness.StartAsync("demo");
        h.Estate.InjectFault("exception-reply", "tank-1");
        var ex = await Should.ThrowAsync<ModbusException>(() => h.ReadAsync("tank-1", "level"));
        ex.ExceptionCode.ShouldBe(ModbusExceptionCode.SlaveDeviceFailure);
        h.Estate.ClearFaults();
        (await h.ReadAsync("tank-1", "level")).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Slow_reply_answers_after_one_and_a_half_seconds()
    {
        await using var h = await EstateHarness.StartAsync("demo");
        h.Estate.InjectFault("slow-reply", "tank-1");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        (await h.ReadAsync("tank-1", "level")).ShouldBeGreaterThan(0);
        watch.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(1.4));
    }

    [Fact]
    public async Task Garbage_reply_is_rejected_by_the_master()
    {
        await using var h = await EstateHarness.StartAsync("demo");
        h.Estate.InjectFault("garbage-reply", "pumps-1");
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = h.Estate.Devices[1].Port, Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 });
        await Should.ThrowAsync<ModbusCommunicationException>(() => master.ReadHoldingRegistersAsync(1, 0, 4));
    }

    [Fact]
    public async Task Timed_script_injects_and_clears_faults_on_simulated_time()
    {
        var dir = Directory.CreateTempSubdirectory("estate-");
        try
        {
            var demo = await File.ReadAllTextAsync(Path.Combine(Estates.EstateLoader.SamplesDirectory, "demo.json"));
            var scripted = demo.TrimEnd().TrimEnd('}') + """
                , "script": [
                    { "at": "00:01:00", "fault": "pump-trip", "device": "pumps-1" },
                    { "at": "00:03:00", "clear": true }
                  ]
                }
                """;
            var file = Path.Combine(dir.FullName, "scripted.json");
            await File.WriteAllTextAsync(file, scripted);
            await using var h = await EstateHarness.StartAsync(file);
            h.Advance(TimeSpan.FromSeconds(50));
            (await h.ReadAsync("pumps-1", "pump1.vfdFault")).ShouldBe(0);
            h.Advance(TimeSpan.FromSeconds(15));
            (await h.ReadAsync("pumps-1", "pump1.vfdFault")).ShouldBe(1);
            h.Advance(TimeSpan.FromMinutes(2));
            (await h.ReadAsync("pumps-1", "pump1.vfdFault")).ShouldBe(0);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
