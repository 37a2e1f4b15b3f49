namespace PropertyEba.Simulators.Tests;

public sealed class StabilityTests
{
    [Fact]
    public async Task Two_days_without_faults_stay_within_normal_operating_ranges_and_counters_only_rise()
    {
        await using var h = await EstateHarness.StartAsync("garden");
        var counters = new[] { ("meter-main", "energyImport"), ("meter-pumps", "energyImport"), ("water-meter-supply", "totalVolume"), ("water-meter-clubhouse", "totalVolume"), ("pumps-1", "pump1.runHours"), ("pumps-1", "pump2.runHours") };
        var last = new double[counters.Length];
        var pumpStarts = 0;
        var wasRunning = false;
        for (var sample = 0; sample < 2 * 24 * 6; sample++)
        {
            h.Advance(TimeSpan.FromMinutes(10));
            var level = await h.ReadAsync("tank-1", "level");
            level.ShouldBeInRange(1.0, 3.3, $"tank level at sample {sample}");
            (await h.ReadAsync("tank-1", "lowLevel")).ShouldBe(0);
            (await h.ReadAsync("tank-1", "highLevel")).ShouldBe(0);
            (await h.ReadAsync("fire-pressure", "fireMainPressure")).ShouldBeInRange(540, 640);
            (await h.ReadAsync("fire-pumps", "mainPumpRunning")).ShouldBe(0);
            (await h.ReadAsync("fire-tank", "level")).ShouldBeInRange(3.5, 3.7);
            (await h.ReadAsync("transformer-1", "windingTempA")).ShouldBeInRange(25, 100);
            (await h.ReadAsync("meter-main", "voltageL2")).ShouldBeInRange(205, 225);
            (await h.ReadAsync("meter-main", "powerFactor")).ShouldBeInRange(0.85, 0.95);
            (await h.ReadAsync("ingress-pump-room", "waterDetected")).ShouldBe(0);
            var running = await h.ReadAsync("pumps-1", "pump1.running") + await h.ReadAsync("pumps-1", "pump2.running") > 0;
            pumpStarts += running && !wasRunning ? 1 : 0;
            wasRunning = running;
            for (var i = 0; i < counters.Length; i++)
            {
                var v = await h.ReadAsync(counters[i].Item1, counters[i].Item2);
                v.ShouldBeGreaterThanOrEqualTo(last[i], $"{counters[i]} never runs backwards");
                last[i] = v;
            }
        }

        pumpStarts.ShouldBeGreaterThan(4, "the booster set cycles several times a day");
    }
}
