using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PropertyEba.Cloud.DemoEstate;
using PropertyEba.Cloud.Edges;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>
/// Edges for tests of a cloud: provisioned once per cloud and edge (the secret is kept here, as an installer would
/// keep it), and MQTT clients connected as them. The broker lets no one else publish.
/// </summary>
public static class TestEdges
{
    private static readonly ConditionalWeakTable<WebApplicationFactory<Program>, ConcurrentDictionary<string, Lazy<Task<EdgeCredentialsDto>>>> Provisioned = [];

    /// <summary>The edge's credentials, provisioning it on first use; the demo's own edge keeps the credentials its agent uses.</summary>
    public static Task<EdgeCredentialsDto> ProvisionEdgeAsync(this WebApplicationFactory<Program> cloud, string tenant, string site, string edge)
    {
        if (cloud.Services.GetRequiredService<DemoEstateRuntime>().EdgeCredentials is { } demo
            && demo.Edge.TenantId == tenant && demo.Edge.SiteId == site && demo.Edge.EdgeId == edge)
        {
            return Task.FromResult(demo);
        }

        var edges = Provisioned.GetOrCreateValue(cloud);
        return edges.GetOrAdd($"{tenant}/{site}/{edge}", _ => new Lazy<Task<EdgeCredentialsDto>>(
            () => cloud.Services.GetRequiredService<EdgeProvisioning>().EnsureCredentialsAsync(tenant, site, edge, CancellationToken.None))).Value;
    }

    /// <summary>The embedded broker's address (starts the cloud if it has not started).</summary>
    public static (string Host, int Port) BrokerOf(WebApplicationFactory<Program> cloud) =>
        cloud.Services.GetRequiredService<BrokerEndpoint>().Current ?? throw new InvalidOperationException("The broker has not started.");

    /// <summary>Options to connect as the edge (its client id, user name and secret).</summary>
    public static MqttClientOptions OptionsFor(WebApplicationFactory<Program> cloud, EdgeCredentialsDto edge, MqttProtocolVersion protocol = MqttProtocolVersion.V500, string? password = null)
    {
        var (host, port) = BrokerOf(cloud);
        return new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(edge.Username)
            .WithCredentials(edge.Username, password ?? edge.Password)
            .WithProtocolVersion(protocol)
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build();
    }

    /// <summary>An MQTT client connected as the edge of <paramref name="topic"/>'s tenant, site and edge, provisioned if need be.</summary>
    public static async Task<IMqttClient> ConnectAsEdgeOfAsync(this WebApplicationFactory<Program> cloud, string topic, MqttProtocolVersion protocol = MqttProtocolVersion.V500)
    {
        if (!MqttTopics.TryParse(topic, out var address))
        {
            throw new ArgumentException($"'{topic}' is not an edge topic; no edge can publish on it.", nameof(topic));
        }

        var edge = await cloud.ProvisionEdgeAsync(address.Tenant, address.Site, address.Edge);
        var client = new MqttClientFactory().CreateMqttClient();
        var connected = await client.ConnectAsync(OptionsFor(cloud, edge, protocol));
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"Edge {edge.Username} was refused: {connected.ResultCode} {connected.ReasonString}");
        }

        return client;
    }

    /// <summary>Publishes one QoS 1 message as the edge the topic names; returns the broker's PUBACK.</summary>
    public static async Task<MqttClientPublishResult> PublishAsEdgeAsync(this WebApplicationFactory<Program> cloud, string topic, string payload)
    {
        using var client = await cloud.ConnectAsEdgeOfAsync(topic);
        var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(System.Text.Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        await client.DisconnectAsync();
        return result;
    }
}
