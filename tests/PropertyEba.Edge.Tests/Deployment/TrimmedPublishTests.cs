using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using PropertyEba.Edge.Tests.Infrastructure;
using PropertyEba.Testing;
using Xunit.Abstractions;

namespace PropertyEba.Edge.Tests.Deployment;

/// <summary>
/// The installation a Pi gets: the trimmed self-contained build, published as docs/edge.md says, started with an
/// estate file and systemd's notify socket. It must poll a device, publish over Mosquitto and tell systemd it is
/// ready and alive. The publish takes 1–3 minutes on this machine (docs/edge.md); the test is bounded to 10.
/// </summary>
public sealed class TrimmedPublishTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);
    private readonly string _scratch = TestOptions.TempDirectory();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Trimmed_self_contained_build_starts_polls_publishes_and_notifies_systemd()
    {
        var publishDir = Path.Combine(_scratch, "publish");
        var watch = Stopwatch.StartNew();
        await using (var publish = ServerProcess.Start("dotnet",
            ["publish", Path.Combine(RepositoryRoot.Path, "edge", "PropertyEba.Edge"), "-c", "Release", "-r", "linux-x64", "--self-contained", "true",
                "-p:PublishTrimmed=true", "-o", publishDir, "-nologo", "-clp:ErrorsOnly"]))
        {
            (await publish.WaitForExitAsync(PublishTimeout)).ShouldBe(0, publish.Output);
        }

        output.WriteLine($"trimmed self-contained publish (linux-x64): {watch.Elapsed.TotalSeconds:F0} s, {DirectorySize(publishDir) / 1024.0 / 1024:F1} MB");
        var agentPath = Path.Combine(publishDir, "PropertyEba.Edge");
        File.Exists(Path.Combine(publishDir, "libcoreclr.so")).ShouldBeTrue("self-contained: the runtime ships with the agent");

        await using var broker = await MosquittoBroker.StartAsync();
        await using var device = await TestDevice.StartAsync();
        var estateDir = Directory.CreateDirectory(Path.Combine(_scratch, "etc")).FullName;
        var profiles = Directory.CreateDirectory(Path.Combine(estateDir, "profiles")).FullName;
        await File.WriteAllTextAsync(Path.Combine(profiles, "test-mixed.json"), System.Text.Json.JsonSerializer.Serialize(TestDevice.Profile, ProfileJson));
        var estate = Path.Combine(estateDir, "estate.json");
        await File.WriteAllTextAsync(estate, $$"""
            { "Tenant": "t1", "Site": "s1", "EdgeId": "trimmed",
              "Mqtt": { "Host": "127.0.0.1", "Port": {{broker.Port}} },
              "PollInterval": "00:00:00.200",
              "BufferDirectory": "buffer",
              "ProfilesDirectory": "profiles",
              "Devices": [ { "DeviceId": "dev1", "Model": "{{TestDevice.Model}}", "Host": "127.0.0.1", "Port": {{device.Port}}, "UnitId": 1 } ] }
            """);

        // check-config in the trimmed build: the profile reader and the validator work without reflection.
        await using (var check = ServerProcess.Start(agentPath, ["check-config", estate]))
        {
            (await check.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(0, check.Output);
        }

        var bad = Path.Combine(estateDir, "bad.json");
        await File.WriteAllTextAsync(bad, """{ "Tenant": "t1", "Site": "s1", "EdgeId": "e1", "PollInterval": 5, "Devices": [ { "DeviceId": "d", "Model": "nope", "Transport": "Serial" } ] }""");
        await using (var check = ServerProcess.Start(agentPath, ["check-config", bad]))
        {
            (await check.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(1, check.Output);
            check.Output.ShouldContain("Edge:PollInterval = 5");
            check.Output.ShouldContain("Edge:Devices[0]:Transport = 'Serial': unknown Transport (allowed: Tcp, RtuOverTcp, Rtu)");
        }

        // systemd's side of sd_notify: a datagram socket the agent is told about in NOTIFY_SOCKET.
        var notifyPath = Path.Combine(_scratch, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        var notifications = new List<string>();
        var receiving = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (true)
            {
                var n = await notify.ReceiveAsync(buffer, SocketFlags.None);
                lock (notifications)
                {
                    notifications.Add(Encoding.UTF8.GetString(buffer, 0, n));
                }
            }
        });

        await using var probe = await MqttProbe.ConnectAsync(broker.Port);
        var work = Directory.CreateDirectory(Path.Combine(_scratch, "work")).FullName;
        watch.Restart();
        await using var agent = ServerProcess.Start(agentPath, ["--config", estate], workDir: work,
            env: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath, ["WATCHDOG_USEC"] = "1000000" });

        await Eventually.UntilAsync(() => probe.On("telemetry").Count >= 3, $"telemetry from the trimmed agent (output: {agent.Output})", TimeSpan.FromSeconds(60));
        output.WriteLine($"first telemetry {watch.Elapsed.TotalSeconds:F1} s after start");
        var samples = probe.On("telemetry").SelectMany(m => m.Batch.Samples).ToList();
        samples.ShouldContain(s => s.DeviceId == "dev1" && s.PointId == "temp" && s.Value == -12.5);
        probe.On("telemetry")[0].Topic.ShouldBe("eba/v1/t1/s1/trimmed/telemetry");
        await Eventually.UntilAsync(() => { lock (notifications) { return notifications.Contains("WATCHDOG=1"); } }, $"a watchdog ping (got: {string.Join(" | ", notifications)})", TimeSpan.FromSeconds(20));
        lock (notifications)
        {
            notifications[0].ShouldStartWith("READY=1", customMessage: "READY first, then the watchdog pings");
        }

        agent.Output.ShouldNotContain("[ERR]");
        agent.Output.ShouldNotContain("[FTL]");
        File.Exists(Path.Combine(work, "data", "logs", $"edge-{DateTime.Now:yyyyMMdd}.log")).ShouldBeTrue("the file sink, configured in code, writes in the trimmed build");
        Directory.Exists(Path.Combine(estateDir, "buffer")).ShouldBeTrue("BufferDirectory is relative to the estate file");
        _ = receiving;
    }

    private static readonly System.Text.Json.JsonSerializerOptions ProfileJson = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private static long DirectorySize(string path) => new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
