using System.Text.Json;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Tests.Infrastructure;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Profiles;
using PropertyEba.Testing;

namespace PropertyEba.Edge.Tests;

/// <summary>
/// Commands (<c>cmd/{id}</c> → <c>cmd-result/{id}</c>) and the retained desired configuration (<c>config</c>), through
/// Debian's mosquitto, against a Modbus TCP slave impersonating the shipped fan controller profile.
/// </summary>
public sealed class RemoteControlTests : IAsyncLifetime
{
    private const string Prefix = "eba/v1/t1/s1/e1/";
    private static readonly DeviceProfile FanProfile = DeviceProfileLoader.Parse(
        File.ReadAllText(Path.Combine(RepositoryRoot.Path, "edge", "profiles", "fan-controller.json")), "fan-controller.json");

    private static readonly IReadOnlyDictionary<string, DeviceProfile> Profiles = new Dictionary<string, DeviceProfile>
    {
        [FanProfile.Model] = FanProfile,
        [TestDevice.Model] = TestDevice.Profile,
    };

    private readonly string _bufferDirectory = TestOptions.TempDirectory();
    private MosquittoBroker _broker = null!;
    private ModbusTcpSlave _fan = null!;
    private ModbusDataStore _fanStore = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _fanStore = new ModbusDataStore();
        _fanStore.SetBit(ModbusTable.Coils, 0, true);
        _fan = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0 });
        _fan.AddUnit(1, _fanStore);
        await _fan.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _fan.DisposeAsync();
        await _broker.DisposeAsync();
        Directory.Delete(_bufferDirectory, recursive: true);
    }

    [Fact]
    public async Task A_fan_command_reaches_the_simulated_fan_and_the_result_comes_back()
    {
        await using var cloud = await MqttProbe.ConnectAsync(_broker.Port);
        await using var agent = new RunningAgent(FanOptions(), profiles: Profiles);
        await Eventually.UntilAsync(() => cloud.On("telemetry").Count > 0, "the agent polling the fan and connected");

        await cloud.PublishAsync(Prefix + "cmd/off-1", Command("off-1", "fanCommand", 0));

        await Eventually.UntilAsync(() => cloud.Messages.Any(m => m.Topic == Prefix + "cmd-result/off-1"), "the result of the command");
        var result = cloud.CommandResult("off-1");
        result.Outcome.ShouldBe(CommandOutcome.Ok, result.Reason);
        result.ReadBack.ShouldBe(0);
        result.EdgeId.ShouldBe("e1");
        result.DeviceId.ShouldBe("fan-1");
        _fanStore.GetBit(ModbusTable.Coils, 0).ShouldBeFalse("the coil of the fan was written");

        await cloud.PublishAsync(Prefix + "cmd/on-1", Command("on-1", "fanCommand", 1));
        await Eventually.UntilAsync(() => cloud.Messages.Any(m => m.Topic == Prefix + "cmd-result/on-1"), "the result of the second command");
        cloud.CommandResult("on-1").Outcome.ShouldBe(CommandOutcome.Ok);
        _fanStore.GetBit(ModbusTable.Coils, 0).ShouldBeTrue();
    }

    [Fact]
    public async Task Commands_to_a_read_only_point_out_of_range_or_expired_are_rejected_and_not_written()
    {
        await using var cloud = await MqttProbe.ConnectAsync(_broker.Port);
        await using var agent = new RunningAgent(FanOptions(), profiles: Profiles);
        await Eventually.UntilAsync(() => cloud.On("telemetry").Count > 0, "the agent polling the fan and connected");

        await cloud.PublishAsync(Prefix + "cmd/ro", Command("ro", "fanRunning", 0));
        await cloud.PublishAsync(Prefix + "cmd/range", Command("range", "fanCommand", 2));
        await cloud.PublishAsync(Prefix + "cmd/stale", Command("stale", "fanCommand", 0, expiresInMs: -5_000));
        await cloud.PublishAsync(Prefix + "cmd/other", Command("other", "fanCommand", 0, device: "pump-9"));

        await Eventually.UntilAsync(() => cloud.Messages.Count(m => m.Topic.Contains("/cmd-result/", StringComparison.Ordinal)) >= 4, "the four results");
        cloud.CommandResult("ro").Outcome.ShouldBe(CommandOutcome.Rejected);
        cloud.CommandResult("ro").Reason.ShouldNotBeNull().ShouldContain("not writable; writable points: fanCommand");
        cloud.CommandResult("range").Reason.ShouldNotBeNull().ShouldContain("use 0 (off) or 1 (on)");
        cloud.CommandResult("stale").Reason.ShouldNotBeNull().ShouldContain("expired");
        cloud.CommandResult("other").Reason.ShouldNotBeNull().ShouldContain("device 'pump-9' is not configured on this edge");
        _fanStore.GetBit(ModbusTable.Coils, 0).ShouldBeTrue("no rejected command reached the device");
    }

    [Fact]
    public async Task A_pushed_config_is_applied_and_its_version_reported_and_an_invalid_one_is_rolled_back()
    {
        await using var cloud = await MqttProbe.ConnectAsync(_broker.Port);
        await using var agent = new RunningAgent(FanOptions(), profiles: Profiles);
        await Eventually.UntilAsync(() => cloud.On("telemetry").Count > 0, "the agent polling the fan and connected");

        // A second device on the same slave, under another id: applied without a restart.
        await cloud.PublishAsync(Prefix + "config", Config("v2", $$"""{ "pollInterval": "00:00:00.2", "devices": [ {{Fan("fan-1")}}, {{Fan("fan-2")}} ] }"""), retain: true);
        await Eventually.UntilAsync(() => cloud.On("status").LastOrDefault()?.Status.ConfigVersion == "v2", "the status to report v2 applied");
        await Eventually.UntilAsync(() => cloud.On("telemetry").Any(m => m.Batch.Samples.Any(s => s.DeviceId == "fan-2")), "telemetry of the device v2 added");
        cloud.On("status").Last().Status.ConfigRejected.ShouldBeNull();

        // An unknown model and a local field: refused with every reason, v2 keeps running.
        await cloud.PublishAsync(Prefix + "config", Config("v3", $$"""{ "mqtt": { "host": "evil" }, "devices": [ { "deviceId": "x", "model": "no-such-model", "host": "127.0.0.1", "port": 1 } ] }"""), retain: true);
        var rejected = await Eventually.UntilAsync(
            _ => Task.FromResult(cloud.On("status").LastOrDefault()?.Status),
            s => s?.ConfigRejected is not null,
            "the status to report v3 rejected");
        rejected!.ConfigVersion.ShouldBe("v2");
        rejected.ConfigRejected!.Version.ShouldBe("v3");
        rejected.ConfigRejected.Reasons.ShouldContain(r => r.Contains("edge.mqtt cannot be set remotely", StringComparison.Ordinal));

        await cloud.PublishAsync(Prefix + "config", Config("v4", """{ "devices": [ { "deviceId": "x", "model": "no-such-model", "host": "127.0.0.1", "port": 1 } ] }"""), retain: true);
        await Eventually.UntilAsync(() => cloud.On("status").LastOrDefault()?.Status.ConfigRejected?.Version == "v4", "the status to report v4 rejected");
        cloud.On("status").Last().Status.ConfigRejected!.Reasons.ShouldContain(r => r.Contains("no-such-model", StringComparison.Ordinal));
        var before = cloud.On("telemetry").Count;
        await Eventually.UntilAsync(() => cloud.On("telemetry").Skip(before).Any(m => m.Batch.Samples.Any(s => s.DeviceId == "fan-2")), "v2 still polling after the rejection");
        agent.Stats.BatchesDropped.ShouldBe(0);
    }

    [Fact]
    public async Task The_applied_config_runs_again_after_a_restart_and_the_buffer_is_kept()
    {
        var options = FanOptions();
        await using (var cloud = await MqttProbe.ConnectAsync(_broker.Port))
        await using (var first = new RunningAgent(options, profiles: Profiles))
        {
            await cloud.PublishAsync(Prefix + "config", Config("v7", $$"""{ "devices": [ {{Fan("fan-7")}} ] }"""), retain: true);
            await Eventually.UntilAsync(() => cloud.On("status").LastOrDefault()?.Status.ConfigVersion == "v7", "v7 applied");
            await cloud.PublishAsync(Prefix + "config", [], retain: true); // the cloud clears the retained config
        }

        await _broker.StopAsync();
        await using (var offline = new RunningAgent(options, profiles: Profiles))
        {
            await Eventually.UntilAsync(() => offline.Stats.BatchesBuffered >= 3, "batches of v7's device buffered while the broker is down");
            await offline.StopAsync();
        }

        await _broker.StartAgainAsync();
        await using var probe = await MqttProbe.ConnectAsync(_broker.Port);
        await using var online = new RunningAgent(options, profiles: Profiles);
        await Eventually.UntilAsync(() => probe.On("telemetry").Any(m => m.Batch.Replayed), "the buffered batches replayed");
        probe.On("telemetry").Where(m => m.Batch.Replayed).ShouldAllBe(m => m.Batch.Samples.All(s => s.DeviceId == "fan-7"), "the restarted agent ran v7 without the broker");
        await Eventually.UntilAsync(() => probe.On("status").LastOrDefault()?.Status.ConfigVersion == "v7", "v7 reported after the restart");
    }

    private EdgeOptions FanOptions()
    {
        var options = TestOptions.For(_broker.Port, _bufferDirectory);
        options.Devices.Add(new EdgeDeviceOptions { DeviceId = "fan-1", Model = FanProfile.Model, Host = "127.0.0.1", Port = _fan.LocalEndPoint.Port, UnitId = 1 });
        return options;
    }

    private string Fan(string id) => $$"""{ "deviceId": "{{id}}", "model": "fan-controller", "host": "127.0.0.1", "port": {{_fan.LocalEndPoint.Port}}, "unitId": 1 }""";

    private static byte[] Command(string id, string point, double value, long expiresInMs = 30_000, string device = "fan-1")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return JsonSerializer.SerializeToUtf8Bytes(
            new EdgeCommand { Schema = 1, CommandId = id, DeviceId = device, PointId = point, Value = value, IssuedUtcMs = now, ExpiresUtcMs = now + expiresInMs, IssuedBy = "test" },
            ContractsJsonContext.Default.EdgeCommand);
    }

    private static byte[] Config(string version, string edgeJson) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new EdgeDesiredConfig { Schema = 1, Version = version, Edge = JsonDocument.Parse(edgeJson).RootElement },
            ContractsJsonContext.Default.EdgeDesiredConfig);
}
