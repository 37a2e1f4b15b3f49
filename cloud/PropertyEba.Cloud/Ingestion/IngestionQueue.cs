using System.Threading.Channels;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// A validated message waiting for the ingestion worker, with where it came from and how to acknowledge it
/// to the broker once it is handled (the PUBACK of its QoS 1 PUBLISH).
/// </summary>
public abstract record AcceptedMessage(TopicAddress Topic, Func<CancellationToken, Task> AcknowledgeAsync)
{
    /// <summary>Called instead of <see cref="AcknowledgeAsync"/> when the message could not be handled, with the reason.</summary>
    public Action<string>? Refuse { get; init; }
}

/// <summary>A validated telemetry batch waiting to be stored.</summary>
public sealed record AcceptedBatch(TopicAddress Topic, TelemetryBatch Batch, Func<CancellationToken, Task> AcknowledgeAsync)
    : AcceptedMessage(Topic, AcknowledgeAsync);

/// <summary>
/// A validated edge event about a device's communication, with its value for the device's
/// <see cref="Alarms.CommunicationPoint"/>, waiting for the alarm engine; it goes through the same queue as the
/// telemetry so that its alarm is raised or cleared in order with the samples the edge sent around it.
/// </summary>
public sealed record AcceptedEvent(TopicAddress Topic, EdgeEvent Event, double CommLost, Func<CancellationToken, Task> AcknowledgeAsync)
    : AcceptedMessage(Topic, AcknowledgeAsync);

/// <summary>An edge's status (online or offline) waiting for the alarm engine, stamped with its time of arrival.</summary>
public sealed record AcceptedEdgeState(TopicAddress Topic, bool Online, long ArrivedUtcMs, Func<CancellationToken, Task> AcknowledgeAsync)
    : AcceptedMessage(Topic, AcknowledgeAsync);

/// <summary>
/// The bounded queue between the MQTT receiver and the ingestion worker. Full means wait, so the
/// receiver stops taking messages: the embedded broker holds its publishers' PUBACKs back, an external
/// broker keeps the messages. Nothing is acknowledged before it is stored, so nothing in this queue is
/// lost when the service stops.
/// </summary>
public sealed class IngestionQueue
{
    public const int Capacity = 2048;

    private readonly Channel<AcceptedMessage> _channel = Channel.CreateBounded<AcceptedMessage>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelWriter<AcceptedMessage> Writer => _channel.Writer;

    public ChannelReader<AcceptedMessage> Reader => _channel.Reader;
}
