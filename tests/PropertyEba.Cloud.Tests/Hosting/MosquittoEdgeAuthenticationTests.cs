using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PropertyEba.Cloud.Edges;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Contracts.Api;
using PropertyEba.Testing;
using Xunit.Abstractions;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>
/// Debian's mosquitto with the password and ACL files the cloud writes (docs/mosquitto.md): a provisioned edge gets in
/// and its telemetry reaches the cloud; a wrong password does not; what it publishes under another site never arrives;
/// an edge of another tenant subscribed to "#" receives nothing of the first.
/// </summary>
[Collection(CloudHostCollection.Name)]
public sealed class MosquittoEdgeAuthenticationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Mosquitto_with_the_clouds_password_and_acl_files_lets_each_edge_reach_only_its_own_topics()
    {
        var port = FreePort.Next();
        await using var cloud = new StandaloneCloud(new Dictionary<string, string?>
        {
            ["Mqtt:EmbeddedBroker"] = "false",
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = "cloud-mosquitto-auth",
        });
        using var api = await cloud.OperatorClientAsync();
        var alpha = await cloud.ProvisionEdgeAsync("tenant-a", "site-1", "edge-a");
        var beta = await cloud.ProvisionEdgeAsync("tenant-b", "site-1", "edge-b");
        var files = cloud.Services.GetRequiredService<MosquittoFiles>();
        await Eventually.UntilAsync(
            () => File.Exists(files.AclFile) && File.ReadAllText(files.AclFile).Contains(beta.Username, StringComparison.Ordinal),
            "the cloud to write mosquitto's ACL file with both edges");

        await using var broker = await MosquittoBroker.StartAsync(port,
            "allow_anonymous false", $"password_file {files.PasswordFile}", $"acl_file {files.AclFile}");

        // The cloud's own connection, with its generated password, subscribes and ingests.
        var factory = new MqttClientFactory();
        using var edgeA = factory.CreateMqttClient();
        (await edgeA.ConnectAsync(Options(port, alpha.Username, alpha.Password))).ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
        var stored = await PublishUntilStoredAsync(api, edgeA, "eba/v1/tenant-a/site-1/edge-a/telemetry", "edge-a");
        stored.BatchesAccepted.ShouldBeGreaterThan(0);

        using (var wrong = factory.CreateMqttClient())
        {
            // mosquitto 2.0 answers a wrong password with 0x87 (not authorized); later versions with 0x86.
            (await wrong.ConnectAsync(Options(port, alpha.Username, "not-the-secret"))).ResultCode
                .ShouldBeOneOf(MqttClientConnectResultCode.BadUserNameOrPassword, MqttClientConnectResultCode.NotAuthorized);
        }

        using (var anonymous = factory.CreateMqttClient())
        {
            (await anonymous.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("anonymous").WithProtocolVersion(MqttProtocolVersion.V500).Build()))
                .ResultCode.ShouldNotBe(MqttClientConnectResultCode.Success);
        }

        // An observer with the cloud's credentials sees everything that passes; edge B listens to "#".
        var identity = cloud.Services.GetRequiredService<CloudMqttIdentity>();
        var seenByCloud = new ConcurrentQueue<string>();
        var seenByB = new ConcurrentQueue<string>();
        using var observer = factory.CreateMqttClient();
        observer.ApplicationMessageReceivedAsync += e =>
        {
            seenByCloud.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        (await observer.ConnectAsync(Options(port, identity.Username, identity.Password, "observer"))).ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
        await observer.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("eba/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        using var edgeB = factory.CreateMqttClient();
        edgeB.ApplicationMessageReceivedAsync += e =>
        {
            seenByB.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        (await edgeB.ConnectAsync(Options(port, beta.Username, beta.Password))).ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
        var everything = await edgeB.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        output.WriteLine($"mosquitto answers edge B's subscription to # with {everything.Items.Single().ResultCode}");

        // Under another site, then under its own: the first never arrives, the second does (same connection, in order).
        var denied = await edgeA.PublishAsync(EdgeAuthenticationTests.Message("eba/v1/tenant-a/site-2/edge-a/telemetry", EdgeAuthenticationTests.Batch("edge-a", 2, "meter-1", "kwh")));
        output.WriteLine($"mosquitto answers the publish under another site with {denied.ReasonCode}");
        await edgeA.PublishAsync(EdgeAuthenticationTests.Message("eba/v1/tenant-a/site-1/edge-a/telemetry", EdgeAuthenticationTests.Batch("edge-a", 3, "meter-1", "kwh")));
        await Eventually.UntilAsync(() => seenByCloud.Contains("eba/v1/tenant-a/site-1/edge-a/telemetry"), "the observer to see edge A's own publish");

        seenByCloud.ShouldNotContain("eba/v1/tenant-a/site-2/edge-a/telemetry", "mosquitto dropped the publish under another site");
        seenByB.ShouldNotContain(t => t.StartsWith("eba/v1/tenant-a/", StringComparison.Ordinal), "an edge of tenant B receives nothing of tenant A");
    }

    private static MqttClientOptions Options(int port, string user, string password, string? clientId = null) => new MqttClientOptionsBuilder()
        .WithTcpServer("127.0.0.1", port)
        .WithClientId(clientId ?? user)
        .WithCredentials(user, password)
        .WithProtocolVersion(MqttProtocolVersion.V500)
        .Build();

    // The cloud's ingestion client connects with a backoff once mosquitto is up; until then a batch waits in no queue.
    private static async Task<IngestionStatsDto> PublishUntilStoredAsync(HttpClient api, IMqttClient edge, string topic, string edgeId)
    {
        long seq = 0;
        return await Eventually.UntilAsync(
            async ct =>
            {
                await edge.PublishAsync(EdgeAuthenticationTests.Message(topic, EdgeAuthenticationTests.Batch(edgeId, ++seq, "meter-1", "kwh")), ct);
                return (await api.GetFromJsonAsync<IngestionStatsDto>("/api/ingestion/stats", ct))!;
            },
            s => s.BatchesAccepted > 0,
            "edge A's telemetry to reach the cloud through mosquitto",
            TimeSpan.FromSeconds(60));
    }
}
