using Microsoft.Extensions.DependencyInjection;
using PropertyEba.Cloud.Ingestion;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>The broker is told a batch was delivered only once the batch is on disk.</summary>
[Collection(CloudHostCollection.Name)]
public sealed class AcknowledgementTests(CloudHostFixture host)
{
    [Fact]
    public async Task Batch_is_in_the_history_when_it_is_acknowledged_and_a_redelivery_is_not_stored_twice()
    {
        var queue = host.Services.GetRequiredService<IngestionQueue>();
        var store = host.Services.GetRequiredService<ITelemetryStore>();
        var now = DateTimeOffset.UtcNow;
        var topic = new TopicAddress(CloudHostFixture.Tenant, "ack-site", "ack-edge", MqttTopics.Telemetry);
        var key = new SeriesKey(CloudHostFixture.Tenant, "ack-site", "probe-1", "level");
        var batch = new TelemetryBatch
        {
            Schema = 1,
            EdgeId = "ack-edge",
            Seq = 1,
            SentUtcMs = now.ToUnixTimeMilliseconds(),
            Samples = [new TelemetrySample { DeviceId = "probe-1", PointId = "level", TimestampUtcMs = now.ToUnixTimeMilliseconds(), Value = 1.5 }],
        };
        Task<IReadOnlyList<StoredSample>> History(CancellationToken ct) => store.QueryAsync(key, now.AddMinutes(-1), now.AddMinutes(1), 10, ct);

        var atFirstAck = new TaskCompletionSource<IReadOnlyList<StoredSample>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await queue.Writer.WriteAsync(new AcceptedBatch(topic, batch, async ct => atFirstAck.TrySetResult(await History(ct))));
        var stored = await atFirstAck.Task.WaitAsync(TimeSpan.FromSeconds(20));
        stored.ShouldHaveSingleItem().Value.ShouldBe(1.5);

        var redeliveryAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await queue.Writer.WriteAsync(new AcceptedBatch(topic, batch, _ =>
        {
            redeliveryAcknowledged.TrySetResult();
            return Task.CompletedTask;
        }));
        await redeliveryAcknowledged.Task.WaitAsync(TimeSpan.FromSeconds(20));
        (await History(CancellationToken.None)).Count.ShouldBe(1);
    }
}
