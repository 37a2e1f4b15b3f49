using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Contracts.Api;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>
/// Edges authenticate at the embedded broker: each probe of the issue, which got in before, is now refused — at
/// CONNECT with the MQTT reason code, or at PUBLISH/SUBSCRIBE with 0x87 — and counted, while the demo edge goes on.
/// </summary>
[Collection(CloudHostCollection.Name)]
public sealed class EdgeAuthenticationTests(CloudHostFixture host)
{
    private const string Tenant = CloudHostFixture.Tenant;
    private const string DemoEdgeTopic = $"eba/v1/{Tenant}/{CloudHostFixture.Site}/edge-1";

    private static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [Fact]
    public async Task Anonymous_publish_under_an_invented_tenant_is_refused_counted_and_not_stored()
    {
        var before = await StatsAsync();
        using var anonymous = await ConnectAnonymouslyAsync($"probe-{Guid.NewGuid():N}");

        var result = await anonymous.PublishAsync(Message("eba/v1/invented/nowhere/ghost/telemetry", Batch("ghost", 1, "ghost-meter", "kwh")));

        result.ReasonCode.ShouldBe(MqttClientPublishReasonCode.NotAuthorized);
        var after = await StatsAsync();
        after.PublishesDenied.ShouldBeGreaterThan(before.PublishesDenied);
        after.LastDenial.ShouldNotBeNull().ShouldContain("eba/v1/invented/nowhere/ghost/telemetry");
        Latest().TryGet(new SeriesKey("invented", "nowhere", "ghost-meter", "kwh"), out _).ShouldBeFalse("a refused batch is never stored");
    }

    [Fact]
    public async Task A_spoofed_device_comm_lost_on_the_demo_edges_topic_from_another_client_raises_nothing()
    {
        var spoof = $$"""{"schema":1,"edgeId":"edge-1","kind":"device-comm-lost","deviceId":"pumps-1","timestampUtcMs":{{NowMs}}}""";

        // Anonymous, and as a provisioned edge of another site of the same tenant: neither may speak for edge-1.
        using var anonymous = await ConnectAnonymouslyAsync($"probe-{Guid.NewGuid():N}");
        (await anonymous.PublishAsync(Message($"{DemoEdgeTopic}/events", spoof))).ReasonCode.ShouldBe(MqttClientPublishReasonCode.NotAuthorized);
        using var neighbour = await host.ConnectAsEdgeOfAsync($"eba/v1/{Tenant}/spoof-site/spoofer/events");
        (await neighbour.PublishAsync(Message($"{DemoEdgeTopic}/events", spoof))).ReasonCode.ShouldBe(MqttClientPublishReasonCode.NotAuthorized);

        // The broker refused it before ingestion saw it, so no alarm can follow from it.
        var active = await host.Api.GetFromJsonAsync<List<AlarmDto>>($"/api/tenants/{Tenant}/alarms?active=true");
        active.ShouldNotBeNull().ShouldNotContain(a => a.RuleId == "device-comm-lost" && a.DeviceId == "pumps-1");
    }

    [Fact]
    public async Task Telemetry_with_the_reserved_point_comm_lost_is_rejected_with_its_reason_and_counted()
    {
        var before = await StatsAsync();

        await host.PublishAsync($"eba/v1/{Tenant}/reserved-site/edge-r/telemetry", Batch("edge-r", 1, "pumps-9", "comm.lost"));

        var after = await Eventually.UntilAsync(_ => StatsAsync(), s => s.PayloadsRejected > before.PayloadsRejected, "the comm.lost sample to be rejected");
        after.LastRejection.ShouldNotBeNull().ShouldContain("reserved pointId 'comm.lost'");
        Latest().TryGet(new SeriesKey(Tenant, "reserved-site", "pumps-9", "comm.lost"), out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_client_with_the_clouds_client_id_or_user_name_is_refused_and_ingestion_goes_on()
    {
        var cloud = host.Services.GetRequiredService<CloudMqttIdentity>();
        var before = await StatsAsync();

        (await ConnectFailureAsync(cloud.ClientId, null, null)).ShouldBe(MqttClientConnectResultCode.BadUserNameOrPassword);
        (await ConnectFailureAsync(cloud.ClientId, cloud.Username, "guessed")).ShouldBe(MqttClientConnectResultCode.BadUserNameOrPassword);
        (await ConnectFailureAsync($"probe-{Guid.NewGuid():N}", cloud.Username, cloud.Password)).ShouldBe(MqttClientConnectResultCode.ClientIdentifierNotValid);

        // Nor may anyone take the demo edge's client id without its secret: the demo edge stays connected and publishing.
        var demo = await host.ProvisionEdgeAsync(Tenant, CloudHostFixture.Site, "edge-1");
        (await ConnectFailureAsync(demo.Username, null, null)).ShouldBe(MqttClientConnectResultCode.BadUserNameOrPassword);
        await Eventually.UntilAsync(_ => StatsAsync(), s => s.BatchesAccepted > before.BatchesAccepted + 1, "the demo edge's telemetry to go on being stored");
    }

    [Fact]
    public async Task A_wrong_or_missing_password_is_refused_at_connect()
    {
        var edge = await host.ProvisionEdgeAsync(Tenant, "auth-site", "edge-w");

        (await ConnectFailureAsync(edge.Username, edge.Username, "not-the-secret")).ShouldBe(MqttClientConnectResultCode.BadUserNameOrPassword);
        (await ConnectFailureAsync(edge.Username, edge.Username, null)).ShouldBe(MqttClientConnectResultCode.BadUserNameOrPassword);
        (await ConnectFailureAsync(edge.Username, null, null)).ShouldBe(MqttClientConnectResultCode.BadUserNameOrPassword);

        // With its own user name but another client id: an edge's client id is its id.
        (await ConnectFailureAsync($"other-{Guid.NewGuid():N}", edge.Username, edge.Password)).ShouldBe(MqttClientConnectResultCode.ClientIdentifierNotValid);

        // MQTT 3.1.1 is refused the same way (return code 4).
        using var v311 = new MqttClientFactory().CreateMqttClient();
        (await v311.ConnectAsync(TestEdges.OptionsFor(host, edge, MqttProtocolVersion.V311, password: "not-the-secret")))
            .ResultCode.ShouldBe(MqttClientConnectResultCode.BadUserNameOrPassword);
    }

    [Fact]
    public async Task Publishing_under_another_site_or_tenant_is_refused_and_counted()
    {
        using var edge = await host.ConnectAsEdgeOfAsync($"eba/v1/{Tenant}/site-p/edge-p/telemetry");
        var before = await StatsAsync();

        (await edge.PublishAsync(Message($"eba/v1/{Tenant}/{CloudHostFixture.Site}/edge-p/telemetry", Batch("edge-p", 1, "meter-p", "kwh"))))
            .ReasonCode.ShouldBe(MqttClientPublishReasonCode.NotAuthorized);
        (await edge.PublishAsync(Message("eba/v1/acme-property/site-p/edge-p/telemetry", Batch("edge-p", 1, "meter-p", "kwh"))))
            .ReasonCode.ShouldBe(MqttClientPublishReasonCode.NotAuthorized);
        var own = await edge.PublishAsync(Message($"eba/v1/{Tenant}/site-p/edge-p/telemetry", Batch("edge-p", 1, "meter-p", "kwh")));
        ((int)own.ReasonCode).ShouldBeLessThan(0x80, $"its own topic is its to publish on ({own.ReasonCode})");

        var after = await StatsAsync();
        after.PublishesDenied.ShouldBe(before.PublishesDenied + 2);
        Latest().TryGet(new SeriesKey(Tenant, CloudHostFixture.Site, "meter-p", "kwh"), out _).ShouldBeFalse();
        Latest().TryGet(new SeriesKey("acme-property", "site-p", "meter-p", "kwh"), out _).ShouldBeFalse();
        await Eventually.UntilAsync(() => Latest().TryGet(new SeriesKey(Tenant, "site-p", "meter-p", "kwh"), out _), "the edge's own batch to be stored");
    }

    [Fact]
    public async Task An_edge_subscribing_to_everything_receives_nothing_but_its_own_config_and_commands()
    {
        var prefix = $"eba/v1/{Tenant}/site-s/edge-s";
        using var edge = await host.ConnectAsEdgeOfAsync($"{prefix}/status");
        var received = Channel.CreateUnbounded<string>();
        edge.ApplicationMessageReceivedAsync += e =>
        {
            received.Writer.TryWrite(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };

        var everything = await edge.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("#").Build());
        everything.Items.Single().ResultCode.ShouldBe(MqttClientSubscribeResultCode.NotAuthorized);
        var others = await edge.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("eba/v1/+/+/+/telemetry").Build());
        others.Items.Single().ResultCode.ShouldBe(MqttClientSubscribeResultCode.NotAuthorized);
        var ownFilters = await edge.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"{prefix}/config", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter($"{prefix}/cmd/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        ownFilters.Items.ShouldAllBe(i => (int)i.ResultCode < 0x80);

        // The demo edge publishes meanwhile; then a command for it arrives (sent by the cloud: an edge may not write its
        // own cmd/ topics), and it is the only thing that did.
        var before = await StatsAsync();
        await Eventually.UntilAsync(_ => StatsAsync(), s => s.BatchesAccepted > before.BatchesAccepted + 1, "the demo edge to publish while the probe listens");
        await host.Services.GetRequiredService<ICloudPublisher>().PublishAsync($"{prefix}/cmd/42", "{}"u8.ToArray(), retain: false, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        (await received.Reader.ReadAsync(timeout.Token)).ShouldBe($"{prefix}/cmd/42");
        received.Reader.TryRead(out var leaked).ShouldBeFalse($"the edge received {leaked}, which is not its own");
    }

    [Fact]
    public async Task A_sequence_number_of_2_to_the_63_minus_1_leaves_sequence_gaps_non_negative()
    {
        var before = await StatsAsync();
        await host.PublishAsync($"eba/v1/{Tenant}/seq-site/edge-max/telemetry", Batch("edge-max", 1, "meter-m", "kwh"));
        await host.PublishAsync($"eba/v1/{Tenant}/seq-site/edge-max/telemetry", Batch("edge-max", long.MaxValue, "meter-m", "kwh"));
        await host.PublishAsync($"eba/v1/{Tenant}/seq-site/edge-max2/telemetry", Batch("edge-max2", 1, "meter-m", "kwh"));
        await host.PublishAsync($"eba/v1/{Tenant}/seq-site/edge-max2/telemetry", Batch("edge-max2", long.MaxValue, "meter-m", "kwh"));

        var after = await Eventually.UntilAsync(_ => StatsAsync(), s => s.BatchesAccepted >= before.BatchesAccepted + 4, "the four batches to be stored");
        after.SequenceGaps.ShouldBeGreaterThanOrEqualTo(before.SequenceGaps, "two jumps to 2^63−1 saturate the count; they never wrap it");
        after.SequenceGaps.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task An_unprovisioned_edge_shows_in_the_waiting_list_and_once_adopted_gets_in()
    {
        var clientId = $"eba-{Tenant}-new-site-edge-{Guid.NewGuid():N}"[..40];
        var topic = $"eba/v1/{Tenant}/new-site/edge-n/telemetry";
        using (var waiting = await ConnectAnonymouslyAsync(clientId))
        {
            (await waiting.PublishAsync(Message(topic, Batch("edge-n", 1, "meter-n", "kwh")))).ReasonCode.ShouldBe(MqttClientPublishReasonCode.NotAuthorized);
            (await waiting.PublishAsync(Message(topic, Batch("edge-n", 1, "meter-n", "kwh")))).ReasonCode.ShouldBe(MqttClientPublishReasonCode.NotAuthorized);
        }

        var pending = await host.Api.GetFromJsonAsync<List<PendingEdgeDto>>($"/api/tenants/{Tenant}/pending-edges");
        var seen = pending.ShouldNotBeNull().Where(p => p.ClientId == clientId).ShouldHaveSingleItem();
        seen.ClaimedTenantId.ShouldBe(Tenant);
        seen.ClaimedSiteId.ShouldBe("new-site");
        seen.ClaimedEdgeId.ShouldBe("edge-n");
        seen.Attempts.ShouldBe(2);
        seen.LastSeenUtc.ShouldBeGreaterThanOrEqualTo(seen.FirstSeenUtc);
        Latest().TryGet(new SeriesKey(Tenant, "new-site", "meter-n", "kwh"), out _).ShouldBeFalse();

        // Another tenant's administrator does not see it.
        using var other = await host.SignInAsNewUserAsync("acme-property", Tenancy.Roles.Administrator);
        (await other.GetFromJsonAsync<List<PendingEdgeDto>>("/api/tenants/acme-property/pending-edges")).ShouldNotBeNull().ShouldNotContain(p => p.ClientId == clientId);

        var adopt = await host.Api.PostAsync($"/api/tenants/{Tenant}/pending-edges/{clientId}/adopt", null);
        adopt.StatusCode.ShouldBe(HttpStatusCode.Created);
        var credentials = (await adopt.Content.ReadFromJsonAsync<EdgeCredentialsDto>())!;
        credentials.Username.ShouldBe(clientId);
        credentials.Edge.SiteId.ShouldBe("new-site");
        credentials.Edge.EdgeId.ShouldBe("edge-n");

        using var adopted = new MqttClientFactory().CreateMqttClient();
        (await adopted.ConnectAsync(TestEdges.OptionsFor(host, credentials))).ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
        var published = await adopted.PublishAsync(Message(topic, Batch("edge-n", 1, "meter-n", "kwh")));
        ((int)published.ReasonCode).ShouldBeLessThan(0x80, $"the adopted edge publishes ({published.ReasonCode})");
        await Eventually.UntilAsync(() => Latest().TryGet(new SeriesKey(Tenant, "new-site", "meter-n", "kwh"), out _), "the adopted edge's batch to be stored");
        (await host.Api.GetFromJsonAsync<List<PendingEdgeDto>>($"/api/tenants/{Tenant}/pending-edges")).ShouldNotBeNull().ShouldNotContain(p => p.ClientId == clientId);
    }

    [Fact]
    public async Task Provisioning_rotating_disabling_and_deleting_an_edge_take_effect_at_the_broker_and_are_audited()
    {
        var site = "rest-site";
        var edgeId = $"edge-{Guid.NewGuid():N}"[..20];
        var edges = $"/api/tenants/{Tenant}/sites/{site}/edges";

        var bad = await host.Api.PostAsJsonAsync(edges, new ProvisionEdgeRequest("bad id/#"));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("edgeId");

        var created = await host.Api.PostAsJsonAsync(edges, new ProvisionEdgeRequest(edgeId));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var first = (await created.Content.ReadFromJsonAsync<EdgeCredentialsDto>())!;
        first.Username.ShouldBe($"eba-{Tenant}-{site}-{edgeId}");
        first.Password.Length.ShouldBeGreaterThanOrEqualTo(40);
        (await host.Api.PostAsJsonAsync(edges, new ProvisionEdgeRequest(edgeId))).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var listed = await host.Api.GetStringAsync($"/api/tenants/{Tenant}/edges");
        listed.ShouldContain(edgeId);
        listed.ShouldNotContain(first.Password);

        using (var client = new MqttClientFactory().CreateMqttClient())
        {
            (await client.ConnectAsync(TestEdges.OptionsFor(host, first))).ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
        }

        var rotated = await host.Api.PostAsync($"{edges}/{edgeId}/secret", null);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var second = (await rotated.Content.ReadFromJsonAsync<EdgeCredentialsDto>())!;
        second.Password.ShouldNotBe(first.Password);
        (await ConnectFailureAsync(first.Username, first.Username, first.Password)).ShouldBe(MqttClientConnectResultCode.BadUserNameOrPassword);

        (await host.Api.PutAsJsonAsync($"{edges}/{edgeId}/enabled", new SetEdgeEnabledRequest(false))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ConnectFailureAsync(second.Username, second.Username, second.Password)).ShouldBe(MqttClientConnectResultCode.NotAuthorized);
        (await host.Api.PutAsJsonAsync($"{edges}/{edgeId}/enabled", new { })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await host.Api.PutAsJsonAsync($"{edges}/{edgeId}/enabled", new SetEdgeEnabledRequest(true))).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var client = new MqttClientFactory().CreateMqttClient())
        {
            (await client.ConnectAsync(TestEdges.OptionsFor(host, second))).ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
        }

        (await host.Api.DeleteAsync($"{edges}/{edgeId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await host.Api.DeleteAsync($"{edges}/{edgeId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var audit = await host.Api.GetFromJsonAsync<List<AuditEntryDto>>($"/api/tenants/{Tenant}/audit?limit=200");
        var actions = audit.ShouldNotBeNull().Where(a => a.Target == $"edge/{site}/{edgeId}").Select(a => a.Action).ToList();
        actions.ShouldBe(["edge.delete", "edge.enable", "edge.disable", "edge.rotate-secret", "edge.provision"], ignoreOrder: false);
        audit!.First(a => a.Target == $"edge/{site}/{edgeId}").UserName.ShouldNotBe("system");
    }

    [Fact]
    public async Task The_clouds_password_and_the_demo_edges_secret_are_never_written_to_the_log()
    {
        var cloud = host.Services.GetRequiredService<CloudMqttIdentity>();
        var demo = await host.ProvisionEdgeAsync(Tenant, CloudHostFixture.Site, "edge-1");
        var logs = string.Join('\n', Directory.GetFiles(Path.Combine(host.DataDirectory, "logs"), "*.log").Select(ReadShared));

        logs.ShouldContain("MQTT client", Case.Sensitive, "the broker logs its clients");
        logs.ShouldNotContain(cloud.Password);
        logs.ShouldNotContain(demo.Password);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private async Task<MqttClientConnectResultCode> ConnectFailureAsync(string clientId, string? userName, string? password)
    {
        var (brokerHost, brokerPort) = host.Broker;
        var builder = new MqttClientOptionsBuilder().WithTcpServer(brokerHost, brokerPort).WithClientId(clientId).WithProtocolVersion(MqttProtocolVersion.V500);
        if (userName is not null)
        {
            builder = builder.WithCredentials(userName, password);
        }

        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(builder.Build());
        client.IsConnected.ShouldBeFalse($"{clientId} was let in");
        return result.ResultCode;
    }

    private async Task<IMqttClient> ConnectAnonymouslyAsync(string clientId)
    {
        var (brokerHost, brokerPort) = host.Broker;
        var client = new MqttClientFactory().CreateMqttClient();
        var connected = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(brokerHost, brokerPort).WithClientId(clientId).WithProtocolVersion(MqttProtocolVersion.V500).Build());
        connected.ResultCode.ShouldBe(MqttClientConnectResultCode.Success, "a client that is not provisioned is let in, allowed nothing, so that it can be adopted");
        return client;
    }

    private LatestValueCache Latest() => host.Services.GetRequiredService<LatestValueCache>();

    private async Task<IngestionStatsDto> StatsAsync(CancellationToken cancellationToken = default) =>
        (await host.Operator.GetFromJsonAsync<IngestionStatsDto>("/api/ingestion/stats", cancellationToken))!;

    internal static MqttApplicationMessage Message(string topic, string payload) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(Encoding.UTF8.GetBytes(payload))
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();

    internal static string Batch(string edge, long seq, string device, string point) =>
        $$"""{"schema":1,"edgeId":"{{edge}}","seq":{{seq}},"sentUtcMs":{{NowMs}},"samples":[{"deviceId":"{{device}}","pointId":"{{point}}","timestampUtcMs":{{NowMs}},"value":1.5,"quality":"good"}]}""";
}
