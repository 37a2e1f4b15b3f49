using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Polling;
using PropertyEba.Edge.Tests.Infrastructure;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Testing;

namespace PropertyEba.Edge.Tests;

public sealed class DevicePollerTests
{
    private readonly ListLogger _log = new();

    // A generous timeout where the device is expected to answer (a loaded CI machine can be slow to
    // accept the first connection); the tests that need timeouts to happen give a short one.
    private (DevicePoller Poller, Channel<UplinkItem> Output, ModbusConnection Connection) CreatePoller(int port, int commLossThreshold = 2, double timeoutSeconds = 5)
    {
        var device = new EdgeDeviceOptions { DeviceId = "dev1", Model = TestDevice.Model, Host = "127.0.0.1", Port = port, UnitId = 1 };
        var plan = ReadPlanner.Plan(TestDevice.Profile.Points, new ReadPlanLimits());
        var connection = ModbusConnection.For(device, TimeSpan.FromSeconds(timeoutSeconds), 0, TimeProvider.System);
        var output = Channel.CreateUnbounded<UplinkItem>();
        var poller = new DevicePoller(device, plan, connection, output.Writer, "e1", commLossThreshold, TimeSpan.FromSeconds(1), TimeProvider.System, new EdgeAgentStats(), _log);
        return (poller, output, connection);
    }

    private static List<EdgeEvent> Events(Channel<UplinkItem> output)
    {
        var events = new List<EdgeEvent>();
        while (output.Reader.TryRead(out var item))
        {
            if (item is EventItem e)
            {
                events.Add(e.Event);
            }
        }

        return events;
    }

    [Fact]
    public async Task Decodes_every_point_of_the_profile_from_a_real_slave()
    {
        await using var device = await TestDevice.StartAsync();
        var (poller, _, connection) = CreatePoller(device.Port);
        await using var _ = connection;

        var samples = (await poller.PollOnceAsync(CancellationToken.None)).ToDictionary(s => s.PointId);

        samples.Values.ShouldAllBe(s => s.Quality == SampleQuality.Good, _log.Text);
        samples.Keys.ShouldBe(["fan", "alarm", "pressure", "energy", "temp", "running", "fault", "level"], ignoreOrder: true);
        samples.Values.ShouldAllBe(s => s.Quality == SampleQuality.Good && s.DeviceId == "dev1");
        samples["level"].Value!.Value.ShouldBe(1.234, 1e-9);
        samples["pressure"].Value!.Value.ShouldBe(456.5, 1e-4);
        samples["energy"].Value!.Value.ShouldBe(12345.6, 1e-6);
        samples["temp"].Value!.Value.ShouldBe(-12.5, 1e-9);
        samples["running"].Value.ShouldBe(1);
        samples["fault"].Value.ShouldBe(0);
        samples["fan"].Value.ShouldBe(1);
        samples["alarm"].Value.ShouldBe(1);

        device.SetValues(level: 0.2, pressure: -1.5, energy: 0, temp: 30, running: false, fault: true, fan: false, alarm: false);
        samples = (await poller.PollOnceAsync(CancellationToken.None)).ToDictionary(s => s.PointId);
        samples["level"].Value!.Value.ShouldBe(0.2, 1e-9);
        samples["pressure"].Value!.Value.ShouldBe(-1.5, 1e-6);
        samples["temp"].Value!.Value.ShouldBe(30, 1e-9);
        samples["running"].Value.ShouldBe(0);
        samples["fault"].Value.ShouldBe(1);
        samples["fan"].Value.ShouldBe(0);
    }

    [Fact]
    public async Task Marks_points_bad_and_raises_comm_lost_then_restored_when_a_slave_stops_answering()
    {
        await using var device = await TestDevice.StartAsync();
        var (poller, output, connection) = CreatePoller(device.Port, commLossThreshold: 2, timeoutSeconds: 1);
        await using var _ = connection;
        var ct = CancellationToken.None;
        await Eventually.UntilAsync(async c => (await poller.PollOnceAsync(c)).All(s => s.Quality == SampleQuality.Good), $"a good cycle first ({_log.Text})");
        Events(output);

        device.Store.Faults.NoReply = true;
        var first = await poller.PollOnceAsync(ct);
        first.ShouldAllBe(s => s.Quality == SampleQuality.Stale, "one missed cycle: the last values, marked stale, never as fresh");
        first.Single(s => s.PointId == "level").Value!.Value.ShouldBe(1.234, 1e-9);
        first.Count.ShouldBe(8, "every point still gets a sample");
        Events(output).ShouldBeEmpty("one failed cycle is not yet a lost device");

        (await poller.PollOnceAsync(ct)).ShouldAllBe(s => s.Quality == SampleQuality.CommLost && s.Value == null);
        var lost = Events(output).ShouldHaveSingleItem();
        lost.Kind.ShouldBe(EdgeEventKinds.DeviceCommLost);
        lost.DeviceId.ShouldBe("dev1");
        lost.EdgeId.ShouldBe("e1");
        lost.Detail.ShouldNotBeNullOrEmpty();
        poller.CommLost.ShouldBeTrue();

        await poller.PollOnceAsync(ct);
        Events(output).ShouldBeEmpty("comm-lost is raised once per episode");

        device.Store.Faults.NoReply = false;
        var events = new List<EdgeEvent>();
        await Eventually.UntilAsync(
            async c =>
            {
                var good = (await poller.PollOnceAsync(c)).All(s => s.Quality == SampleQuality.Good);
                events.AddRange(Events(output));
                return good;
            },
            "a good cycle once the device answers again");
        events.ShouldHaveSingleItem().Kind.ShouldBe(EdgeEventKinds.DeviceCommRestored);
        poller.CommLost.ShouldBeFalse();
    }

    [Fact]
    public async Task Reports_the_first_answer_after_the_agent_starts_once_so_a_loss_reported_before_a_restart_can_end()
    {
        await using var device = await TestDevice.StartAsync();
        var (poller, output, connection) = CreatePoller(device.Port);
        await using var _ = connection;

        (await poller.PollOnceAsync(CancellationToken.None)).ShouldAllBe(s => s.Quality == SampleQuality.Good, _log.Text);
        var first = Events(output).ShouldHaveSingleItem();
        first.Kind.ShouldBe(EdgeEventKinds.DeviceCommRestored);
        first.DeviceId.ShouldBe("dev1");
        first.Detail.ShouldNotBeNull().ShouldContain("first answer since the agent started");

        await poller.PollOnceAsync(CancellationToken.None);
        Events(output).ShouldBeEmpty("the state is reported once, then only when it changes");
    }

    [Fact]
    public async Task An_exception_response_marks_only_that_read_bad_and_is_not_a_lost_device()
    {
        await using var device = await TestDevice.StartAsync();
        var (poller, output, connection) = CreatePoller(device.Port, commLossThreshold: 1);
        await using var _ = connection;
        device.Store.BeforeRead = (table, _, _) => table == ModbusTable.HoldingRegisters ? ModbusExceptionCode.IllegalDataAddress : null;

        var samples = await poller.PollOnceAsync(CancellationToken.None);

        samples.Where(s => s.PointId is "pressure" or "energy" or "temp" or "running" or "fault").ShouldAllBe(s => s.Quality == SampleQuality.Bad);
        samples.Where(s => s.PointId is "level" or "fan" or "alarm").ShouldAllBe(s => s.Quality == SampleQuality.Good, _log.Text);
        Events(output).ShouldHaveSingleItem().Kind.ShouldBe(EdgeEventKinds.DeviceCommRestored, "the device answered, so communication is not lost (and its first answer is reported)");
    }

    [Fact]
    public async Task A_gateway_reporting_that_the_device_behind_it_is_silent_counts_as_lost_communication()
    {
        await using var device = await TestDevice.StartAsync();
        var (poller, output, connection) = CreatePoller(device.Port, commLossThreshold: 1);
        await using var _ = connection;
        device.Store.BeforeRead = (_, _, _) => ModbusExceptionCode.GatewayTargetFailedToRespond;

        (await poller.PollOnceAsync(CancellationToken.None)).ShouldAllBe(s => s.Quality == SampleQuality.CommLost && s.Value == null);

        Events(output).ShouldHaveSingleItem().Kind.ShouldBe(EdgeEventKinds.DeviceCommLost);
    }

    [Fact]
    public async Task Polls_on_the_interval_of_its_clock_and_stamps_samples_with_that_clock()
    {
        await using var device = await TestDevice.StartAsync();
        var start = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        var options = new EdgeDeviceOptions { DeviceId = "dev1", Model = TestDevice.Model, Host = "127.0.0.1", Port = device.Port };
        var connection = ModbusConnection.For(options, TimeSpan.FromSeconds(5), 0, TimeProvider.System);
        await using var _ = connection;
        var output = Channel.CreateUnbounded<UplinkItem>();
        var stats = new EdgeAgentStats();
        var poller = new DevicePoller(
            options,
            ReadPlanner.Plan(TestDevice.Profile.Points, new ReadPlanLimits()),
            connection, output.Writer, "e1", 3, TimeSpan.FromSeconds(10), clock, stats, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = poller.RunAsync(stop.Token);

        var first = await NextReadingAsync(output);
        first.Samples.ShouldAllBe(s => s.TimestampUtcMs == start.ToUnixTimeMilliseconds(), "the first cycle runs at once, stamped by the injected clock");

        clock.Advance(TimeSpan.FromSeconds(9));
        output.Reader.TryRead(out var early).ShouldBeFalse($"nothing before the interval has passed, got {early}");

        clock.Advance(TimeSpan.FromSeconds(1));
        var second = await NextReadingAsync(output);
        second.Samples.ShouldAllBe(s => s.TimestampUtcMs == start.AddSeconds(10).ToUnixTimeMilliseconds());
        stats.PollCycles.ShouldBe(2);

        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => run);
    }

    // The next reading, past the events (the first answer after the start is reported before its reading).
    private static async Task<DeviceReading> NextReadingAsync(Channel<UplinkItem> output)
    {
        while (true)
        {
            if (await output.Reader.ReadAsync() is DeviceReading reading)
            {
                return reading;
            }
        }
    }

    [Fact]
    public async Task Reads_a_device_over_modbus_rtu_on_a_serial_line()
    {
        await using var line = await SerialLine.StartAsync();
        var store = new ModbusDataStore();
        store.SetRegister(ModbusTable.InputRegisters, 0, 1500);
        store.SetBit(ModbusTable.DiscreteInputs, 5, true);
        await using var slave = new ModbusRtuSlave(new ModbusSerialOptions { PortName = line.DeviceEnd, BaudRate = 19200, Parity = System.IO.Ports.Parity.Even });
        slave.AddUnit(7, store);
        await slave.StartAsync(CancellationToken.None);
        var options = RtuDevice(line, System.IO.Ports.Parity.Even);
        await using var connection = ModbusConnection.For(options, TimeSpan.FromSeconds(5), 0, TimeProvider.System);
        var poller = new DevicePoller(options, ReadPlanner.Plan(TestDevice.Profile.Points, new ReadPlanLimits()), connection,
            Channel.CreateUnbounded<UplinkItem>().Writer, "e1", 3, TimeSpan.FromSeconds(1), TimeProvider.System, new EdgeAgentStats(), NullLogger.Instance);

        var samples = (await poller.PollOnceAsync(CancellationToken.None)).ToDictionary(s => s.PointId);

        samples.Values.ShouldAllBe(s => s.Quality == SampleQuality.Good);
        samples["level"].Value!.Value.ShouldBe(1.5, 1e-9);
        samples["alarm"].Value.ShouldBe(1);
        connection.Description.ShouldBe($"{line.AgentEnd} (19200 8E1)");
    }

    [Fact]
    public async Task Rtu_device_with_direction_control_on_a_port_without_RTS_fails_with_an_error_that_says_so()
    {
        // A pseudo-terminal has no modem-control lines, like a port whose adapter has no RTS wired.
        await using var line = await SerialLine.StartAsync();
        var options = RtuDevice(line, System.IO.Ports.Parity.None, rs485DirectionControl: true);
        await using var connection = ModbusConnection.For(options, TimeSpan.FromSeconds(1), 0, TimeProvider.System);
        var request = ReadPlanner.Plan(TestDevice.Profile.Points, new ReadPlanLimits())[0];

        var ex = await Should.ThrowAsync<ModbusCommunicationException>(() => connection.ReadAsync(7, request, CancellationToken.None));

        ex.Message.ShouldContain(line.AgentEnd);
        ex.Message.ShouldContain("has no RTS");
    }

    [Fact]
    public async Task Decodes_every_point_of_every_shipped_profile()
    {
        foreach (var profile in new DeviceProfileCatalog().GetProfiles(null).Values)
        {
            await using var device = await TestDevice.StartAsync();
            var expected = new Dictionary<string, double>();
            var index = 0;
            foreach (var point in profile.Points.Where(p => p.Type != ModbusDataType.String))
            {
                index++;
                if (point.Table is ModbusTable.Coils or ModbusTable.DiscreteInputs)
                {
                    expected[point.Id] = index % 2;
                    device.Store.SetBit(point.Table, point.Address, index % 2 == 1);
                    continue;
                }

                var registers = new ushort[point.Span];
                device.Store.GetRegisters(point.Table, point.Address, registers); // bits share their register with others
                var value = point.Type == ModbusDataType.Bit ? index % 2 : (100 + index) * point.Scale + point.Offset;
                RegisterCodec.Encode(value, registers, point.Type, point.Order, point.Bit, point.Scale, point.Offset);
                device.Store.SetRegisters(point.Table, point.Address, registers);
                expected[point.Id] = value;
            }

            var options = new EdgeDeviceOptions { DeviceId = "dev1", Model = profile.Model, Host = "127.0.0.1", Port = device.Port };
            await using var connection = ModbusConnection.For(options, TimeSpan.FromSeconds(5), 0, TimeProvider.System);
            var poller = new DevicePoller(options, ReadPlanner.Plan(profile.Points, new ReadPlanLimits()), connection,
                Channel.CreateUnbounded<UplinkItem>().Writer, "e1", 3, TimeSpan.FromSeconds(1), TimeProvider.System, new EdgeAgentStats(), NullLogger.Instance);

            var samples = await poller.PollOnceAsync(CancellationToken.None);

            samples.Select(s => s.PointId).ShouldBe(expected.Keys, ignoreOrder: true, profile.Model);
            foreach (var sample in samples)
            {
                sample.Quality.ShouldBe(SampleQuality.Good, $"{profile.Model}.{sample.PointId}");
                sample.Value!.Value.ShouldBe(expected[sample.PointId], Math.Abs(expected[sample.PointId]) * 1e-6 + 1e-9, $"{profile.Model}.{sample.PointId}");
            }
        }
    }

    // Unit 7 at 19200 baud on the agent's end of the line.
    private static EdgeDeviceOptions RtuDevice(SerialLine line, System.IO.Ports.Parity parity, bool rs485DirectionControl = false) => new()
    {
        DeviceId = "dev1",
        Model = TestDevice.Model,
        Transport = ModbusTransportKind.Rtu,
        SerialPort = line.AgentEnd,
        BaudRate = 19200,
        Parity = parity,
        Rs485DirectionControl = rs485DirectionControl,
        UnitId = 7,
    };
}
