using System.Net.Http.Json;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PropertyEba.Contracts.Api;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>
/// What the cloud does with a valid batch it cannot store (refuse, count, log; the publisher keeps it and sends it
/// again), and that its counters outlive a restart of the service.
/// </summary>
[Collection(CloudHostCollection.Name)]
public sealed class RefusalAndRestartTests
{
    // A day long past, so that its day file is not open yet; a folder in its place makes every write to it fail.
    private static readonly DateTimeOffset Day = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_batch_the_store_cannot_take_is_refused_with_its_reason_counted_and_stored_once_sent_again()
    {
        await using var cloud = new StandaloneCloud(new Dictionary<string, string?> { ["Mqtt:Port"] = "0" });
        using var api = await cloud.OperatorClientAsync();
        var blocker = Path.Combine(cloud.DataDirectory, "telemetry", "2025-06-01.tsdb");
        Directory.CreateDirectory(blocker);
        var batch = Batch("e-refused", seq: 1, samples: 3);

        // MQTT 5: a PUBACK that says no, and why.
        using (var v5 = await ConnectAsync(cloud, "e-refused", MqttProtocolVersion.V500))
        {
            var refused = await v5.PublishAsync(Message("eba/v1/t1/s1/e-refused/telemetry", batch));
            refused.ReasonCode.ShouldBe(MqttClientPublishReasonCode.ImplementationSpecificError);
            refused.ReasonString.ShouldContain("could not store the batch");
        }

        var afterV5 = await StatsAsync(api);
        afterV5.MessagesRefused.ShouldBe(1);
        afterV5.SamplesRefused.ShouldBe(3);
        afterV5.LastRefusal.ShouldNotBeNull().ShouldContain("eba/v1/t1/s1/e-refused/telemetry");
        afterV5.SamplesAccepted.ShouldBe(0);

        // MQTT 3.1.1 has no way to say no in a PUBACK: the connection is closed instead, and no PUBACK comes.
        using (var v311 = await ConnectAsync(cloud, "e-refused", MqttProtocolVersion.V311))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Should.ThrowAsync<Exception>(async () => await v311.PublishAsync(Message("eba/v1/t1/s1/e-refused/telemetry", batch), timeout.Token));
            await Eventually.UntilAsync(() => !v311.IsConnected, "the broker to close the 3.1.1 connection");
        }

        (await StatsAsync(api)).MessagesRefused.ShouldBe(2);

        // The store works again: the same batch, sent again, is stored once.
        Directory.Delete(blocker);
        using (var again = await ConnectAsync(cloud, "e-refused", MqttProtocolVersion.V500))
        {
            var accepted = await again.PublishAsync(Message("eba/v1/t1/s1/e-refused/telemetry", batch));
            // Any reason code below 0x80 is a success; with no subscriber but the cloud it is "no matching subscribers".
            ((int)accepted.ReasonCode).ShouldBeLessThan(0x80, $"the batch is accepted ({accepted.ReasonCode})");
        }

        var stats = await StatsAsync(api);
        stats.SamplesAccepted.ShouldBe(3);
        stats.SamplesDropped.ShouldBe(0);
        stats.SequenceGaps.ShouldBe(0);
        stats.DuplicateBatches.ShouldBe(0, "a refused batch was not stored, so sending it again is no duplicate");
        cloud.SamplesOnDisk().ShouldBe(3);
    }

    [Fact]
    public async Task Ingestion_counters_survive_a_restart_of_the_service()
    {
        var data = Directory.CreateTempSubdirectory("propertyeba-restart-").FullName;
        try
        {
            IngestionStatsDto before;
            await using (var first = new StandaloneCloud(new Dictionary<string, string?> { ["Mqtt:Port"] = "0" }, data))
            {
                using var api = await first.OperatorClientAsync();
                using var client = await ConnectAsync(first, "e-restart", MqttProtocolVersion.V500);
                await client.PublishAsync(Message("eba/v1/t1/s1/e-restart/telemetry", Batch("e-restart", seq: 1, samples: 2)));
                await client.PublishAsync(Message("eba/v1/t1/s1/e-restart/telemetry", Batch("e-restart", seq: 3, samples: 2)));
                await client.PublishAsync(Message("eba/v1/t1/s1/e-restart/telemetry", "{ not json"));
                before = await Eventually.UntilAsync(
                    async ct => (await api.GetFromJsonAsync<IngestionStatsDto>("/api/ingestion/stats", ct))!,
                    s => s.SamplesAccepted == 4 && s.SequenceGaps == 1 && s.PayloadsRejected == 1,
                    "two batches stored, one gap and one rejection counted");
            }

            await using var second = new StandaloneCloud(new Dictionary<string, string?> { ["Mqtt:Port"] = "0" }, data);
            using var api2 = await second.OperatorClientAsync();
            var after = await StatsAsync(api2);
            after.SamplesAccepted.ShouldBe(before.SamplesAccepted);
            after.BatchesAccepted.ShouldBe(before.BatchesAccepted);
            after.SequenceGaps.ShouldBe(1, "the missing batch 2 is still reported after the restart");
            after.PayloadsRejected.ShouldBe(1);
            after.MessagesReceived.ShouldBe(before.MessagesReceived);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_sequence_number_of_2_to_the_63_minus_1_leaves_sequence_gaps_non_negative_across_a_restart()
    {
        var data = Directory.CreateTempSubdirectory("propertyeba-seqmax-").FullName;
        try
        {
            await using (var first = new StandaloneCloud(new Dictionary<string, string?> { ["Mqtt:Port"] = "0" }, data))
            {
                using var api = await first.OperatorClientAsync();
                using var client = await ConnectAsync(first, "e-max", MqttProtocolVersion.V500);
                await client.PublishAsync(Message("eba/v1/t1/s1/e-max/telemetry", EdgeAuthenticationTests.Batch("e-max", 1, "meter-1", "kwh")));
                await client.PublishAsync(Message("eba/v1/t1/s1/e-max/telemetry", EdgeAuthenticationTests.Batch("e-max", long.MaxValue, "meter-1", "kwh")));
                var saturated = await Eventually.UntilAsync(
                    async ct => (await api.GetFromJsonAsync<IngestionStatsDto>("/api/ingestion/stats", ct))!,
                    s => s.BatchesAccepted == 2,
                    "both batches stored");
                saturated.SequenceGaps.ShouldBe(long.MaxValue - 2, "every number from 2 to 2^63−2 is missing");
            }

            // The saved count comes back, and new gaps add to it: the sum saturates, it never wraps.
            await using var second = new StandaloneCloud(new Dictionary<string, string?> { ["Mqtt:Port"] = "0" }, data);
            using var api2 = await second.OperatorClientAsync();
            using var again = await ConnectAsync(second, "e-max2", MqttProtocolVersion.V500);
            await again.PublishAsync(Message("eba/v1/t1/s1/e-max2/telemetry", EdgeAuthenticationTests.Batch("e-max2", 1, "meter-1", "kwh")));
            await again.PublishAsync(Message("eba/v1/t1/s1/e-max2/telemetry", EdgeAuthenticationTests.Batch("e-max2", long.MaxValue, "meter-1", "kwh")));
            var after = await Eventually.UntilAsync(
                async ct => (await api2.GetFromJsonAsync<IngestionStatsDto>("/api/ingestion/stats", ct))!,
                s => s.BatchesAccepted == 4,
                "both batches of the second run stored");
            after.SequenceGaps.ShouldBe(long.MaxValue);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    // As the provisioned edge t1/s1/{edge}: the broker lets no other client publish on its topics.
    private static async Task<IMqttClient> ConnectAsync(StandaloneCloud cloud, string edge, MqttProtocolVersion version)
    {
        var credentials = await cloud.ProvisionEdgeAsync("t1", "s1", edge);
        var client = new MqttClientFactory().CreateMqttClient();
        (await client.ConnectAsync(TestEdges.OptionsFor(cloud, credentials, version))).ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
        return client;
    }

    private static MqttApplicationMessage Message(string topic, string payload) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(Encoding.UTF8.GetBytes(payload))
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();

    private static string Batch(string edge, long seq, int samples)
    {
        var items = Enumerable.Range(0, samples).Select(i =>
            $$"""{"deviceId":"dev1","pointId":"p{{i}}","timestampUtcMs":{{Day.AddSeconds(seq).ToUnixTimeMilliseconds()}},"value":{{i}}.5,"quality":"good"}""");
        return $$"""{"schema":1,"edgeId":"{{edge}}","seq":{{seq}},"sentUtcMs":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"samples":[{{string.Join(',', items)}}]}""";
    }

    private static async Task<IngestionStatsDto> StatsAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<IngestionStatsDto>("/api/ingestion/stats"))!;
}
