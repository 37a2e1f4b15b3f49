using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Polling;
using PropertyEba.Edge.Tests.Infrastructure;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Tests.Runtime;

public sealed class PollerFaultTests
{
    private readonly ListLogger _log = new();

    [Fact]
    public async Task A_merged_read_refused_with_illegal_data_address_is_split_per_point_and_the_split_plan_is_kept()
    {
        await using var device = await TestDevice.StartAsync();

        // The device maps registers 10..13 and 20 but not the hole between them, and refuses any read that touches it.
        var reads = new ConcurrentQueue<(ushort Address, int Count)>();
        device.Store.BeforeRead = (table, address, count) =>
        {
            if (table != ModbusTable.HoldingRegisters)
            {
                return null;
            }

            reads.Enqueue((address, count));
            return address < 20 && address + count > 14 ? ModbusExceptionCode.IllegalDataAddress : null;
        };
        var profile = TestDevice.Profile with { Points = [.. TestDevice.Profile.Points.Where(p => p.Id is "pressure" or "energy" or "temp")] };
        var options = new EdgeDeviceOptions { DeviceId = "dev1", Model = TestDevice.Model, Host = "127.0.0.1", Port = device.Port };
        await using var connection = ModbusConnection.For(options, TimeSpan.FromSeconds(5), 0, TimeProvider.System);
        var plan = ReadPlanner.Plan(profile.Points, new ReadPlanLimits());
        plan.ShouldHaveSingleItem("10..20 is one merged read");
        var poller = new DevicePoller(options, plan, connection, Channel.CreateUnbounded<UplinkItem>().Writer, "e1", 3, TimeSpan.FromSeconds(1), TimeProvider.System, new EdgeAgentStats(), _log);

        var first = (await poller.PollOnceAsync(CancellationToken.None)).ToDictionary(s => s.PointId);

        first.Values.ShouldAllBe(s => s.Quality == SampleQuality.Good, "split in the same cycle: " + _log.Text);
        first["pressure"].Value!.Value.ShouldBe(456.5, 1e-4);
        first["temp"].Value!.Value.ShouldBe(-12.5, 1e-9);
        poller.Plan.Select(r => (r.Address, r.Count)).ShouldBe([((ushort)10, (ushort)2), ((ushort)12, (ushort)2), ((ushort)20, (ushort)1)]);
        poller.Health().SplitReads.ShouldBe(1);
        poller.Health().ExceptionReplies.ShouldBe(1);
        _log.Text.ShouldContain("one by one");

        reads.Clear();
        (await poller.PollOnceAsync(CancellationToken.None)).ShouldAllBe(s => s.Quality == SampleQuality.Good);
        reads.Select(r => r.Address).ShouldBe([(ushort)10, (ushort)12, (ushort)20], "the working plan is remembered: no refused read again");
    }

    [Fact]
    public void A_profile_asking_for_per_point_reads_is_planned_one_read_per_point()
    {
        var plan = ReadPlanner.PerPoint(TestDevice.Profile.Points);

        plan.Length.ShouldBe(8, "every point but the string");
        plan.ShouldAllBe(r => r.Points.Length == 1 && r.Points[0].Offset == 0 && r.Count == r.Points[0].Point.Span);
    }

    [Fact]
    public async Task A_dead_device_on_a_shared_RTU_bus_does_not_delay_the_others_beyond_its_back_off()
    {
        await using var line = await SerialLine.StartAsync();
        var store = new ModbusDataStore();
        store.SetRegister(ModbusTable.InputRegisters, 0, 1500);
        await using var slave = new ModbusRtuSlave(new ModbusSerialOptions { PortName = line.DeviceEnd, BaudRate = 19200, Parity = System.IO.Ports.Parity.Even });
        slave.AddUnit(7, store); // unit 8 is wired to the same bus but dead: nothing answers for it
        await slave.StartAsync(CancellationToken.None);

        var live = RtuDevice(line, "live", 7);
        var dead = RtuDevice(line, "dead", 8);
        var timeout = TimeSpan.FromMilliseconds(300);
        var interval = TimeSpan.FromMilliseconds(200);
        await using var bus = ModbusConnection.For(live, timeout, 0, TimeProvider.System);
        var profile = TestDevice.Profile with { Points = [.. TestDevice.Profile.Points.Where(p => p.Id == "level")] };
        var plan = ReadPlanner.Plan(profile.Points, new ReadPlanLimits());
        var output = Channel.CreateUnbounded<UplinkItem>();
        var settings = new PollerSettings(MaxBackOff: TimeSpan.FromSeconds(2));
        var livePoller = new DevicePoller(live, plan, bus, output.Writer, "e1", 2, interval, TimeProvider.System, new EdgeAgentStats(), _log, settings);
        var deadPoller = new DevicePoller(dead, plan, bus, output.Writer, "e1", 2, interval, TimeProvider.System, new EdgeAgentStats(), _log, settings);

        var seen = new List<(string DeviceId, DateTimeOffset At, SampleQuality Quality)>();
        using var running = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var polling = Task.WhenAll(Swallow(livePoller.RunAsync(running.Token)), Swallow(deadPoller.RunAsync(running.Token)))
            .ContinueWith(_ => output.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var item in output.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (item is DeviceReading reading)
            {
                seen.Add((reading.DeviceId, DateTimeOffset.UtcNow, reading.Samples[0].Quality));
            }
        }

        await polling;
        var liveTimes = seen.Where(s => s.DeviceId == "live").ToList();
        liveTimes.ShouldAllBe(s => s.Quality == SampleQuality.Good, _log.Text);
        var afterLoss = liveTimes.Where(s => s.At > liveTimes[0].At + TimeSpan.FromSeconds(1)).Select(s => s.At).ToList();
        var gaps = afterLoss.Zip(afterLoss.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        gaps.Max().ShouldBeLessThan((interval + timeout).TotalMilliseconds + 150, $"the dead device takes at most one timeout of the live one's turn; gaps: {string.Join(", ", gaps.Select(g => g.ToString("0")))}");
        liveTimes.Count.ShouldBeGreaterThan(30, "a reading every 200 ms for 8 s, less the dead device's few timeouts");

        var deadHealth = deadPoller.Health();
        deadHealth.State.ShouldBe("lost");
        deadHealth.Timeouts.ShouldBe(deadHealth.Requests);

        // Without back-off it would cost the bus a 300 ms timeout every 200 ms cycle: about 16 attempts in 8 s. Backed
        // off (0.4, 0.8, 1.6, 2, 2 … s after the loss) it makes at most 8.
        deadHealth.Requests.ShouldBeInRange(4, 8, $"attempts by the dead device: {deadHealth}");
        deadHealth.NextPollUtcMs.ShouldNotBeNull();
        seen.Where(s => s.DeviceId == "dead").Select(s => s.Quality).Distinct().ShouldBe([SampleQuality.Stale, SampleQuality.CommLost]);
        bus.Stats.Fill(new PortHealth { Port = "x" }).P95ResponseMs.ShouldNotBeNull();
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static EdgeDeviceOptions RtuDevice(SerialLine line, string id, int unitId) => new()
    {
        DeviceId = id,
        Model = TestDevice.Model,
        Transport = ModbusTransportKind.Rtu,
        SerialPort = line.AgentEnd,
        BaudRate = 19200,
        Parity = System.IO.Ports.Parity.Even,
        UnitId = unitId,
    };
}
