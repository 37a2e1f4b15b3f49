using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge;
using PropertyEba.Edge.Polling;
using PropertyEba.Modbus.Profiles;
using PropertyEba.Simulators;

// Polls the demo estate (the simulators the cloud's DemoEstate polls) with three poller sets at once, so each sees the
// same values: every sample of every cycle (today's agent), report by exception with the profiles as shipped, and
// report by exception with an installer's deadbands by unit. Each set's readings are batched per second, as the
// uplink does, and serialised exactly as published; the MQTT PUBLISH overhead (fixed header, topic, packet id) is added.
var seconds = Arg("--seconds", 180);
var heartbeat = TimeSpan.FromSeconds(Arg("--heartbeat", 300));
var estateName = ArgText("--estate", "demo");
const string Topic = "eba/v1/demo/demo-site/demo-edge/telemetry";

var profiles = await DeviceProfileLoader.LoadDirectoryAsync(DeviceProfileLoader.DefaultDirectory, CancellationToken.None);
await using var estate = await SimulatedEstate.StartAsync(estateName, profiles, new SimulationOptions { Seed = 42 }, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

// An installer's deadbands: about the resolution a dashboard shows for each unit.
var deadbandByUnit = new Dictionary<string, double>(StringComparer.Ordinal)
{
    ["V"] = 1,
    ["A"] = 0.5,
    ["kW"] = 0.5,
    ["kvar"] = 0.5,
    ["kVA"] = 0.5,
    ["kPa"] = 2,
    ["MPa"] = 0.002,
    ["m"] = 0.01,
    ["°C"] = 0.5,
    ["Hz"] = 0.05,
    ["%"] = 1,
    ["ppm"] = 20,
    ["m³/h"] = 0.1,
    ["L/s"] = 0.1,
};
DeviceProfile WithDeadbands(DeviceProfile p) => p with
{
    Points = [.. p.Points.Select(pt => pt.Kind == PointKind.Analog && pt.Unit is { } u && deadbandByUnit.TryGetValue(u, out var d) ? pt with { Deadband = d } : pt)],
};

string[] modes = ["every-cycle", "rbe-shipped", "rbe-deadbands"];
var bytes = new long[modes.Length];
var samples = new long[modes.Length];
var messages = new long[modes.Length];
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
var tasks = new List<Task>();
var points = 0;
for (var m = 0; m < modes.Length; m++)
{
    var channel = Channel.CreateUnbounded<UplinkItem>();
    var stats = new EdgeAgentStats();
    var connections = new List<ModbusConnection>();
    foreach (var device in estate.Devices)
    {
        var profile = m == 2 ? WithDeadbands(profiles[device.Model]) : profiles[device.Model];
        var options = new EdgeDeviceOptions { DeviceId = device.DeviceId, Model = device.Model, Host = device.Host, Port = device.Port, UnitId = device.UnitId };
        var connection = ModbusConnection.For(options, TimeSpan.FromSeconds(1), 1, TimeProvider.System);
        connections.Add(connection);
        var plan = ReadPlanner.Plan(profile.Points, new ReadPlanLimits());
        if (m == 0)
        {
            points += plan.Sum(r => r.Points.Length);
        }

        var poller = new DevicePoller(options, plan, connection, channel.Writer, "demo-edge", 3, TimeSpan.FromSeconds(1), TimeProvider.System, stats, NullLogger.Instance,
            new PollerSettings(PollerSettings.PriorityOf(profile), ReportHeartbeat: m == 0 ? null : heartbeat));
        tasks.Add(RunQuietly(poller.RunAsync(stop.Token)));
    }

    var mode = m;
    tasks.Add(Task.Run(async () =>
    {
        // One batch per second of everything read in it, like the uplink's linger does for one cycle of all devices.
        var pending = new List<TelemetrySample>();
        long seq = 0;
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var reader = Task.Run(async () =>
        {
            await foreach (var item in channel.Reader.ReadAllAsync(CancellationToken.None))
            {
                if (item is DeviceReading r)
                {
                    lock (pending)
                    {
                        pending.AddRange(r.Samples);
                    }
                }
            }
        });
        try
        {
            while (await tick.WaitForNextTickAsync(stop.Token))
            {
                TelemetrySample[] batch;
                lock (pending)
                {
                    batch = [.. pending];
                    pending.Clear();
                }

                if (batch.Length == 0)
                {
                    continue;
                }

                var payload = JsonSerializer.SerializeToUtf8Bytes(
                    new TelemetryBatch { Schema = 1, EdgeId = "demo-edge", Seq = ++seq, SentUtcMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Samples = batch },
                    ContractsJsonContext.Default.TelemetryBatch);

                // PUBLISH at QoS 1: fixed header (1 + up to 4 length bytes), topic (2 + length), packet id (2).
                var remaining = 2 + Encoding.UTF8.GetByteCount(Topic) + 2 + payload.Length;
                bytes[mode] += 1 + (remaining < 128 ? 1 : remaining < 16384 ? 2 : 3) + remaining;
                samples[mode] += batch.Length;
                messages[mode]++;
            }
        }
        catch (OperationCanceledException)
        {
        }

        channel.Writer.TryComplete();
        await reader;
        foreach (var c in connections)
        {
            await c.DisposeAsync();
        }
    }));
}

await Task.WhenAll(tasks);
var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"estate {estateName}: {estate.Devices.Count} devices, {points} points, polled every 1 s for {seconds} s; heartbeat {heartbeat.TotalSeconds} s"));
Console.WriteLine("mode            samples/s   messages   bytes/s    MB/day    vs every-cycle");
for (var m = 0; m < modes.Length; m++)
{
    var perSecond = (double)bytes[m] / seconds;
    Console.WriteLine(string.Create(inv, $"{modes[m],-15} {samples[m] / (double)seconds,9:0.0} {messages[m],10} {perSecond,9:0} {perSecond * 86400 / 1e6,9:0.00}    {(double)bytes[m] / bytes[0],6:P1}"));
}

static async Task RunQuietly(Task task)
{
    try
    {
        await task;
    }
    catch (OperationCanceledException)
    {
    }
}

int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

string ArgText(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
