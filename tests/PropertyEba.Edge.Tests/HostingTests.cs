using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Tests.Infrastructure;
using PropertyEba.Testing;

namespace PropertyEba.Edge.Tests;

/// <summary>The agent as the standalone program hosts it: configuration, validation, profiles from a folder, a hosted service.</summary>
public sealed class HostingTests : EmbeddedBrokerAndDeviceTests
{
    [Fact]
    public async Task AddEdgeAgent_runs_the_configured_agent_for_the_lifetime_of_the_host()
    {
        var profiles = Directory.CreateDirectory(Path.Combine(ScratchDirectory, "profiles")).FullName;
        File.WriteAllText(Path.Combine(profiles, "test-mixed.json"), System.Text.Json.JsonSerializer.Serialize(TestDevice.Profile, ProfileJson));
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Edge:Tenant"] = "t1",
            ["Edge:Site"] = "s1",
            ["Edge:EdgeId"] = "hosted",
            ["Edge:Mqtt:Port"] = Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Edge:PollInterval"] = "00:00:00.100",
            ["Edge:BufferDirectory"] = Path.Combine(ScratchDirectory, "buffer"),
            ["Edge:ProfilesDirectory"] = profiles,
            ["Edge:Devices:0:DeviceId"] = "dev1",
            ["Edge:Devices:0:Model"] = TestDevice.Model,
            ["Edge:Devices:0:Host"] = "127.0.0.1",
            ["Edge:Devices:0:Port"] = Device.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEdgeAgent(config);
        using var host = builder.Build();
        await using var probe = await MqttProbe.ConnectAsync(Broker.Port);

        await host.StartAsync();
        var agent = host.Services.GetRequiredService<EdgeAgent>();
        await Eventually.UntilAsync(() => probe.On("telemetry").Count >= 2, "telemetry from the hosted agent");
        probe.On("telemetry")[0].Topic.ShouldBe("eba/v1/t1/s1/hosted/telemetry");
        agent.Stats.Connected.ShouldBeTrue();

        await host.StopAsync();
        agent.Stats.Connected.ShouldBeFalse();
        probe.On("status").Last().Status.State.ShouldBe(EdgeState.Offline, "stopping the host stops the agent cleanly");
    }

    private static readonly System.Text.Json.JsonSerializerOptions ProfileJson = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
