using System.Threading.Channels;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>A validated batch waiting to be stored, with where it came from.</summary>
public sealed record AcceptedBatch(TopicAddress Topic, TelemetryBatch Batch);

/// <summary>
/// The bounded queue between the MQTT receiver and the ingestion worker. Full means wait: the receiver
/// holds back its PUBACK, so the broker keeps the QoS 1 messages instead of the service losing them.
/// </summary>
public sealed class IngestionQueue
{
    public const int Capacity = 2048;

    private readonly Channel<AcceptedBatch> _channel = Channel.CreateBounded<AcceptedBatch>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelWriter<AcceptedBatch> Writer => _channel.Writer;

    public ChannelReader<AcceptedBatch> Reader => _channel.Reader;
}
