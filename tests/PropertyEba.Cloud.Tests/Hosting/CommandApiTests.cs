using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;
using PropertyEba.Edge;
using PropertyEba.Simulators;
using PropertyEba.Simulators.Estates;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>
/// Commands from the API to a device and back, end to end: the simulators' fan controller on a loopback Modbus TCP port,
/// a real edge agent connected to the cloud's embedded broker with its provisioned credentials, and engineers, viewers
/// and installers signed in. A site of its own, so the demo site keeps its devices.
/// </summary>
[Collection(CloudHostCollection.Name)]
public sealed class CommandApiTests(CloudHostFixture host) : IAsyncLifetime
{
    private const string Tenant = CloudHostFixture.Tenant;
    private const string Site = "fan-house";
    private const string EdgeId = "edge-fan";
    private const string Api = $"/api/tenants/{Tenant}";
    private const string Commands = $"{Api}/sites/{Site}/devices/fan-9/commands";

    private readonly string _buffer = Directory.CreateTempSubdirectory("propertyeba-cmd-edge-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private SimulatedEstate _estate = null!;
    private EdgeAgent _agent = null!;
    private Task _run = null!;

    public async Task InitializeAsync()
    {
        var site = await host.Api.PostAsJsonAsync($"{Api}/sites", new SiteRequest(Site, "Fan house", "风机房"));
        site.StatusCode.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.Conflict);
        var profiles = await host.Services.GetRequiredService<DeviceProfileLibrary>().BuiltInsAsync(CancellationToken.None);
        _estate = await SimulatedEstate.StartAsync(
            new EstateDefinition { Name = "fan-house", Devices = [new DeviceDefinition { Id = "fan-9", Model = "fan-controller" }] },
            profiles, new SimulationOptions { Seed = 3 }, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var fan = _estate.Devices.Single();
        var device = await host.Api.PostAsJsonAsync($"{Api}/sites/{Site}/devices", new DeviceRequest("fan-9", "Exhaust fan", "fan-controller", Connection: new DeviceConnectionDto("tcp", fan.Host, fan.Port, UnitId: fan.UnitId)));
        device.StatusCode.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.Conflict);

        var credentials = await host.ProvisionEdgeAsync(Tenant, Site, EdgeId);
        var (brokerHost, brokerPort) = host.Broker;
        var options = new EdgeOptions
        {
            Tenant = Tenant,
            Site = Site,
            EdgeId = EdgeId,
            Mqtt = new EdgeMqttOptions { Host = brokerHost, Port = brokerPort, Username = credentials.Username, Password = credentials.Password, ClientId = credentials.Username, ReconnectDelay = TimeSpan.FromMilliseconds(100) },
            PollInterval = TimeSpan.FromMilliseconds(500),
            ModbusRetries = 0,
            BufferDirectory = _buffer,
            Devices = [new EdgeDeviceOptions { DeviceId = "fan-9", Model = "fan-controller", Host = fan.Host, Port = fan.Port, UnitId = fan.UnitId }],
        };
        _agent = new EdgeAgent(options, profiles, TimeProvider.System, NullLoggerFactory.Instance);
        _run = _agent.RunAsync(_stop.Token);
        await Eventually.UntilAsync(() => _agent.Stats.Connected && _agent.Stats.BatchesPublished > 0, "the fan's edge connected and publishing");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _agent.DisposeAsync();
        await _estate.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_buffer, recursive: true);
    }

    [Fact]
    public async Task A_fan_command_reaches_the_simulated_fan_and_the_result_comes_back()
    {
        var engineer = await host.SignInAsAsync(Roles.Engineer, Tenant);
        var on = 1 - _estate.ReadValue("fan-9", "fanCommand");

        var sent = await engineer.PostAsJsonAsync(Commands, new SendCommandRequest("fanCommand", on));

        sent.StatusCode.ShouldBe(HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        var pending = (await sent.Content.ReadFromJsonAsync<CommandDto>())!;
        pending.State.ShouldBe(CommandState.Pending);
        pending.EdgeId.ShouldBe(EdgeId, "the site's one edge is chosen");
        var done = await Eventually.UntilAsync(
            async ct => (await engineer.GetFromJsonAsync<CommandDto>($"{Commands}/{pending.CommandId}", ct))!,
            c => c.State != CommandState.Pending,
            "the edge's result");
        done.State.ShouldBe(CommandState.Ok, done.Reason);
        done.ReadBack.ShouldBe(on);
        done.IssuedBy.ShouldNotBeNullOrEmpty();
        // The model takes the coil up on its next tick, which a loaded machine may delay past the read-back.
        await Eventually.UntilAsync(() => _estate.ReadValue("fan-9", "fanCommand") == on, "the simulated fan's command coil holding the value");
        if (on == 1)
        {
            await Eventually.UntilAsync(() => _estate.ReadValue("fan-9", "fanRunning") == 1, "the fan running after its start delay");
        }

        var recent = (await engineer.GetFromJsonAsync<List<CommandDto>>(Commands))!;
        recent.ShouldContain(c => c.CommandId == pending.CommandId && c.State == CommandState.Ok);
        var audit = (await host.Api.GetFromJsonAsync<List<AuditEntryDto>>($"{Api}/audit?limit=200"))!;
        audit.ShouldContain(a => a.Action == "command.send" && a.Target == $"{Site}/fan-9/fanCommand" && a.Detail!.Contains(pending.CommandId, StringComparison.Ordinal));
        audit.ShouldContain(a => a.Action == "command.result" && a.Detail!.Contains(pending.CommandId, StringComparison.Ordinal) && a.Detail.Contains("Ok", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_engineers_and_administrators_may_send_a_command_and_every_role_may_read_it()
    {
        var before = _estate.ReadValue("fan-9", "fanCommand");
        foreach (var role in new[] { Roles.EnergyManager, Roles.Technician, Roles.Installer })
        {
            var viewer = await host.SignInAsAsync(role, Tenant);
            (await viewer.PostAsJsonAsync(Commands, new SendCommandRequest("fanCommand", 1 - before))).StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
            (await viewer.GetAsync(Commands)).StatusCode.ShouldBe(HttpStatusCode.OK, role);
        }

        _estate.ReadValue("fan-9", "fanCommand").ShouldBe(before, "no refused command reached the fan");
    }

    [Fact]
    public async Task A_read_only_point_is_refused_by_the_cloud_and_an_out_of_range_value_by_the_edge()
    {
        var admin = host.Api;
        var readOnly = await admin.PostAsJsonAsync(Commands, new SendCommandRequest("fanRunning", 1));
        readOnly.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await readOnly.Content.ReadAsStringAsync()).ShouldContain("Writable points: fanCommand");

        var sent = await admin.PostAsJsonAsync(Commands, new SendCommandRequest("fanCommand", 5));
        sent.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var id = (await sent.Content.ReadFromJsonAsync<CommandDto>())!.CommandId;
        var done = await Eventually.UntilAsync(
            async ct => (await admin.GetFromJsonAsync<CommandDto>($"{Commands}/{id}", ct))!,
            c => c.State != CommandState.Pending,
            "the edge's rejection");
        done.State.ShouldBe(CommandState.Rejected);
        done.Reason.ShouldNotBeNull().ShouldContain("use 0 (off) or 1 (on)");
    }

    [Fact]
    public async Task A_desired_config_set_through_the_api_is_applied_by_the_edge_and_an_invalid_one_is_refused()
    {
        var fan = _estate.Devices.Single();
        var edge = JsonDocument.Parse($$"""{ "pollInterval": "00:00:00.4", "devices": [ { "deviceId": "fan-9", "model": "fan-controller", "host": "{{fan.Host}}", "port": {{fan.Port}}, "unitId": {{fan.UnitId}} } ] }""").RootElement;
        var installer = await host.SignInAsAsync(Roles.Installer, Tenant);
        var config = $"{Api}/sites/{Site}/edges/{EdgeId}";

        var set = await installer.PutAsJsonAsync($"{config}/desired-config", new DesiredConfigRequest(edge, "fan-v2"));
        set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        try
        {
            var applied = await Eventually.UntilAsync(
                async ct => (await installer.GetFromJsonAsync<EdgeConfigStatusDto>($"{config}/config-status", ct))!,
                s => s.AppliedVersion == "fan-v2",
                "the edge to report fan-v2 applied");
            applied.DesiredVersion.ShouldBe("fan-v2");

            var bad = JsonDocument.Parse("""{ "pollInterval": "00:00:00.001", "mqtt": { "host": "elsewhere" } }""").RootElement;
            var refused = await installer.PutAsJsonAsync($"{config}/desired-config", new DesiredConfigRequest(bad, "fan-v3"));
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("edge.mqtt cannot be set remotely");

            var engineer = await host.SignInAsAsync(Roles.Engineer, Tenant);
            (await engineer.PutAsJsonAsync($"{config}/desired-config", new DesiredConfigRequest(edge, "fan-v4"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        finally
        {
            // Retained: the next test's agent (on another simulator port) would otherwise run this one's devices.
            (await installer.DeleteAsync($"{config}/desired-config")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
    }
}
