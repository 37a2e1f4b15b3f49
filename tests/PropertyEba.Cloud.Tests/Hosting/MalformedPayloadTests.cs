using System.Net;
using System.Net.Http.Json;
using PropertyEba.Contracts.Api;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Hosting;

[Collection(CloudHostCollection.Name)]
public sealed class MalformedPayloadTests(CloudHostFixture host)
{
    public static TheoryData<string, string> BadPayloads => new()
    {
        { "eba/v1/demo/sunny-garden/rogue-edge/telemetry", "not json at all \u0001\u0002" },
        { "eba/v1/demo/sunny-garden/rogue-edge/telemetry", "{\"schema\":99,\"edgeId\":\"rogue-edge\",\"seq\":1,\"sentUtcMs\":1,\"samples\":[]}" },
        { "eba/v1/demo/sunny-garden/rogue-edge/telemetry", "{\"schema\":1,\"edgeId\":\"someone-else\",\"seq\":1,\"sentUtcMs\":1,\"samples\":[{\"deviceId\":\"d\",\"pointId\":\"p\",\"timestampUtcMs\":1700000000000,\"value\":1}]}" },
        { "eba/v1/demo/sunny-garden/rogue-edge/telemetry", "{\"schema\":1,\"edgeId\":\"rogue-edge\",\"seq\":1,\"sentUtcMs\":1,\"samples\":[{\"deviceId\":\"d\",\"pointId\":\"p\",\"timestampUtcMs\":5,\"value\":1}]}" },
        { "eba/v1/demo/sunny-garden/rogue-edge/telemetry", "{\"schema\":1,\"edgeId\":\"rogue-edge\",\"seq\":1,\"sentUtcMs\":1}" },
        { "eba/v1/demo/sunny-garden/rogue-edge/telemetry", "" },
        { "eba/v1/demo/sunny-garden/rogue-edge/status", "{\"state\":\"sideways\"}" },
        { "eba/v1/demo/sunny-garden/rogue-edge/events", "[1,2,3]" },
        { "eba/v1/demo/sunny-garden/rogue-edge/events", "{\"schema\":1,\"edgeId\":\"someone-else\",\"kind\":\"device-comm-lost\",\"deviceId\":\"d\",\"timestampUtcMs\":1700000000000}" },
        { "eba/v1/demo/sunny-garden/rogue-edge/events", "{\"schema\":1,\"edgeId\":\"rogue-edge\",\"kind\":\"device-comm-lost\",\"deviceId\":\"bad device/#\",\"timestampUtcMs\":1700000000000}" },
    };

    [Theory]
    [MemberData(nameof(BadPayloads))]
    public async Task Malformed_payload_is_rejected_counted_and_logged_while_ingestion_goes_on(string topic, string payload)
    {
        var before = await StatsAsync();

        await host.PublishAsync(topic, payload);

        var after = await Eventually.UntilAsync(_ => StatsAsync(), s => s.PayloadsRejected > before.PayloadsRejected, $"the payload on {topic} to be counted as rejected");
        after.LastRejection.ShouldNotBeNull();

        // The service keeps running and keeps ingesting the real edge's telemetry.
        (await host.Api.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.UntilAsync(_ => StatsAsync(), s => s.BatchesAccepted > after.BatchesAccepted, "more telemetry batches to be accepted after the bad payload");

        var logs = Directory.GetFiles(Path.Combine(host.DataDirectory, "logs"), "*.log");
        await Eventually.UntilAsync(
            () => logs.Any(f => ReadShared(f).Contains("Rejected MQTT payload", StringComparison.Ordinal)),
            "a 'Rejected MQTT payload' line in the service log");
    }

    private async Task<IngestionStatsDto> StatsAsync() => (await host.Operator.GetFromJsonAsync<IngestionStatsDto>("/api/ingestion/stats"))!;

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
