using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Polling;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Tests.Runtime;

public sealed class RuntimeStateMachineTests
{
    private static readonly PointDefinition Level = new()
    {
        Id = "level",
        Name = "Level",
        Kind = PointKind.Analog,
        Table = ModbusTable.InputRegisters,
        Address = 0,
        Deadband = 0.05,
        Min = 0,
        Max = 5,
    };

    private static readonly PointDefinition FireAlarm = new()
    {
        Id = "fire",
        Name = "Fire alarm",
        Kind = PointKind.State,
        Table = ModbusTable.DiscreteInputs,
        Address = 0,
        Criticality = PointCriticality.Alarm,
        Deadband = 10,
    };

    [Fact]
    public void Back_off_doubles_from_the_first_delay_up_to_the_cap_within_the_jitter_and_restarts_after_a_success()
    {
        var backOff = new BackOff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), new Random(42));
        var delays = Enumerable.Range(0, 8).Select(_ => backOff.Fail().TotalSeconds).ToList();

        double[] nominal = [2, 4, 8, 16, 30, 30, 30, 30];
        for (var i = 0; i < delays.Count; i++)
        {
            delays[i].ShouldBeInRange(nominal[i] * 0.8, nominal[i] * 1.2, $"attempt {i + 1}: {string.Join(", ", delays)}");
        }

        delays.Distinct().Count().ShouldBeGreaterThan(4, "jitter spreads the capped delays");
        backOff.Reset();
        backOff.Fail().TotalSeconds.ShouldBeInRange(1.6, 2.4);
    }

    [Fact]
    public void Quality_goes_good_then_stale_with_the_last_value_then_comm_lost_without_one_and_good_again()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        var qualifier = new SampleQualifier();
        TelemetrySample At(PointOutcome outcome, double? value, bool lost)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return qualifier.Qualify("tank", Level, outcome, value, lost, time.GetUtcNow().ToUnixTimeMilliseconds());
        }

        var good = At(PointOutcome.Read, 2.5, lost: false);
        good.Quality.ShouldBe(SampleQuality.Good);
        good.Value.ShouldBe(2.5);

        var stale = At(PointOutcome.NoAnswer, null, lost: false);
        stale.Quality.ShouldBe(SampleQuality.Stale, "one missed cycle");
        stale.Value.ShouldBe(2.5, "the last value read, marked as old");
        stale.TimestampUtcMs.ShouldBe(good.TimestampUtcMs + 1000, "timestamped when the edge judged it, not passed off as the old reading");

        var lost = At(PointOutcome.NoAnswer, null, lost: true);
        lost.Quality.ShouldBe(SampleQuality.CommLost);
        lost.Value.ShouldBeNull("a value is never re-sent after the device is lost");

        At(PointOutcome.Read, 7.5, lost: false).Quality.ShouldBe(SampleQuality.Uncertain, "above the sensor's range of 0..5");
        At(PointOutcome.Read, -0.1, lost: false).Quality.ShouldBe(SampleQuality.Uncertain, "below the range");
        At(PointOutcome.Unreadable, null, lost: false).Quality.ShouldBe(SampleQuality.Bad, "the device refused the point");
        var back = At(PointOutcome.Read, 3, lost: false);
        back.Quality.ShouldBe(SampleQuality.Good);
        back.Value.ShouldBe(3);
    }

    [Fact]
    public void Report_by_exception_holds_back_changes_within_the_deadband_until_the_heartbeat_and_sends_state_changes_at_once()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        var reporter = new ExceptionReporter(TimeSpan.FromSeconds(60));
        bool Send(PointDefinition point, double? value, SampleQuality quality = SampleQuality.Good) => reporter.ShouldSend(
            new TelemetrySample { DeviceId = "d", PointId = point.Id, TimestampUtcMs = time.GetUtcNow().ToUnixTimeMilliseconds(), Value = value, Quality = quality },
            point);

        Send(Level, 2.00).ShouldBeTrue("the first value");
        Send(FireAlarm, 0).ShouldBeTrue("the first state");
        time.Advance(TimeSpan.FromSeconds(1));
        Send(Level, 2.04).ShouldBeFalse("0.04 is within the deadband of 0.05");
        Send(FireAlarm, 0).ShouldBeFalse("unchanged state");
        time.Advance(TimeSpan.FromSeconds(1));
        Send(Level, 2.06).ShouldBeTrue("0.06 from the value last sent (2.00), past the deadband");
        Send(FireAlarm, 1).ShouldBeTrue("a state change goes at once, whatever the deadband");
        time.Advance(TimeSpan.FromSeconds(1));
        Send(Level, 2.07).ShouldBeFalse();
        Send(Level, 2.07, SampleQuality.Stale).ShouldBeTrue("a change of quality is sent");
        Send(Level, 2.07).ShouldBeTrue("and back");

        time.Advance(TimeSpan.FromSeconds(59));
        Send(Level, 2.07).ShouldBeFalse("59 s of silence: not yet");
        Send(FireAlarm, 1).ShouldBeTrue("the alarm was last sent 60 s ago: heartbeat");
        time.Advance(TimeSpan.FromSeconds(1));
        Send(Level, 2.07).ShouldBeTrue("heartbeat after 60 s: still good, just not changing");
        reporter.Suppressed.ShouldBe(4);
    }

    [Fact]
    public void Bus_time_of_an_rtu_read_is_the_frames_on_the_wire_plus_two_silences_plus_the_turnaround()
    {
        var point = Level with { Address = 0 };
        var read = new ReadRequest(ModbusTable.HoldingRegisters, 0, 10, [new PlannedPoint(point, 0)]);

        // 8E1: 11 bits a character. Request 8 bytes, reply 5 + 20 bytes: 33 × 11 / 9600 s, plus 2 × 3.5 characters, plus 20 ms.
        var expected = (33 * 11 / 9600.0) + (2 * 3.5 * 11 / 9600.0) + 0.020;
        BusTimeBudget.Transaction(read, 9600, 8, System.IO.Ports.Parity.Even, System.IO.Ports.StopBits.One).TotalSeconds.ShouldBe(expected, 1e-6);

        var line = new EdgeDeviceOptions { BaudRate = 9600, Parity = System.IO.Ports.Parity.Even };
        ImmutableArray<ReadRequest> plan = [read, read];
        var relaxed = BusTimeBudget.Estimate("ttyS0", line, [(plan, TimeSpan.FromSeconds(1)), (plan, TimeSpan.FromSeconds(1))]);
        relaxed.Utilisation.ShouldBe(4 * expected, 1e-6);
        relaxed.Fits.ShouldBeTrue("about 26 % of the bus");

        var tight = BusTimeBudget.Estimate("ttyS0", line, Enumerable.Repeat((plan, TimeSpan.FromMilliseconds(200)), 3));
        tight.Fits.ShouldBeFalse($"{tight.Utilisation:P0} of the bus");
    }

    [Fact]
    public async Task The_bus_goes_to_the_highest_priority_waiter_first_then_in_arrival_order()
    {
        var gate = new PriorityGate();
        var order = new List<string>();
        var first = await gate.EnterAsync(0, CancellationToken.None);
        using var cancelled = new CancellationTokenSource();

        async Task Take(string name, int priority, CancellationToken ct = default)
        {
            using var _ = await gate.EnterAsync(priority, ct);
            order.Add(name);
        }

        var meter1 = Take("meter1", 1);
        var meter2 = Take("meter2", 1);
        var gone = Take("cancelled-fire", 9, cancelled.Token);
        var fire = Take("fire", 3);
        gate.Waiting.ShouldBe(4);
        await cancelled.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => gone);

        first.Dispose();
        await Task.WhenAll(meter1, meter2, fire);

        order.ShouldBe(["fire", "meter1", "meter2"]);
    }
}
