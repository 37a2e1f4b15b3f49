using System.Net.Http.Json;
using System.Text.Json;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>A sequence gap means data is missing, and only that: what an edge says it never used is no gap.</summary>
[Collection(CloudHostCollection.Name)]
public sealed class SequenceGapTests(CloudHostFixture host)
{
    private readonly string _edge = $"gap-edge-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Numbers_an_edge_announces_it_never_used_are_no_gap_and_a_real_gap_is_logged_as_missing_data()
    {
        var before = await StatsAsync();

        await PublishBatchAsync(1);
        await PublishBatchAsync(2);

        // Killed after batch 2, the edge resumes after its reserved block and says so in its birth.
        await host.PublishAsync(Topic(MqttTopics.Status), JsonSerializer.Serialize(new EdgeStatus
        {
            Schema = 1,
            EdgeId = _edge,
            State = EdgeState.Online,
            AgentVersion = "test",
            TimestampUtcMs = NowMs,
            SkippedSeq = [new SeqRange { From = 3, To = 1000 }],
        }, ContractsJsonContext.Default.EdgeStatus));
        await PublishBatchAsync(1001);
        var resumed = await Eventually.UntilAsync(_ => StatsAsync(), s => s.SamplesAccepted >= before.SamplesAccepted + 3, "the three batches to be stored");
        (resumed.SequenceGaps - before.SequenceGaps).ShouldBe(0);

        // Batches 1002..1009 never arrive: that is data missing, counted and written to the log as a warning.
        await PublishBatchAsync(1010);
        var after = await Eventually.UntilAsync(_ => StatsAsync(), s => s.SamplesAccepted >= before.SamplesAccepted + 4, "the fourth batch to be stored");
        (after.SequenceGaps - before.SequenceGaps).ShouldBe(8);
        await Eventually.UntilAsync(
            () => Logs().Contains($"Data missing from demo/sunny-garden/{_edge}: batches 1002..1009 did not arrive", StringComparison.Ordinal),
            "a warning naming the missing batches in the service log");
    }

    [Fact]
    public async Task A_status_announcing_an_impossible_range_is_rejected_saying_why()
    {
        var before = await StatsAsync();

        await host.PublishAsync(Topic(MqttTopics.Status), $$"""{"schema":1,"edgeId":"{{_edge}}","state":"online","agentVersion":"t","timestampUtcMs":{{NowMs}},"skippedSeq":[{"from":50,"to":10}]}""");

        var after = await Eventually.UntilAsync(_ => StatsAsync(), s => s.PayloadsRejected > before.PayloadsRejected, "the status to be rejected");
        after.LastRejection.ShouldNotBeNull();
        after.LastRejection!.ShouldContain("skippedSeq range 50..10 is invalid");
    }

    private static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private string Topic(string channel) => MqttTopics.For(CloudHostFixture.Tenant, CloudHostFixture.Site, _edge, channel);

    private Task PublishBatchAsync(long seq) => host.PublishAsync(Topic(MqttTopics.Telemetry), JsonSerializer.Serialize(new TelemetryBatch
    {
        Schema = TelemetryBatch.CurrentSchema,
        EdgeId = _edge,
        Seq = seq,
        SentUtcMs = NowMs,
        Samples = [new TelemetrySample { DeviceId = "meter-x", PointId = "power", TimestampUtcMs = NowMs, Value = seq }],
    }, ContractsJsonContext.Default.TelemetryBatch));

    private async Task<IngestionStatsDto> StatsAsync() => (await host.Operator.GetFromJsonAsync<IngestionStatsDto>("/api/ingestion/stats"))!;

    private string Logs() => string.Concat(Directory.GetFiles(Path.Combine(host.DataDirectory, "logs"), "*.log").Select(ReadShared));

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
