using System.Threading.Channels;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// A validated batch waiting to be stored, with where it came from and how to acknowledge it to the
/// broker once it is stored (the PUBACK of its QoS 1 PUBLISH).
/// </summary>
public sealed record AcceptedBatch(TopicAddress Topic, TelemetryBatch Batch, Func<CancellationToken, Task> AcknowledgeAsync);

/// <summary>
/// The bounded queue between the MQTT receiver and the ingestion worker. Full means wait, so the
/// receiver stops taking messages and the broker keeps them; nothing is acknowledged to the broker
/// before it is stored, so nothing in this queue is lost when the service stops.
/// </summary>
public sealed class IngestionQueue
{
    public const int Capacity = 2048;

    private readonly Channel<AcceptedBatch> _channel = Channel.CreateBounded<AcceptedBatch>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelWriter<AcceptedBatch> Writer => _channel.Writer;

    public ChannelReader<AcceptedBatch> Reader => _channel.Reader;
}
