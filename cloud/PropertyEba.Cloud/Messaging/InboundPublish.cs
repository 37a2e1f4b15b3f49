using System.Buffers;

namespace PropertyEba.Cloud.Messaging;

/// <summary>
/// A QoS 1 message a client published to the embedded broker, seen before the broker acknowledges it. The payload
/// is valid only until <see cref="IInboundPublishHandler.HandleAsync"/> first awaits: a handler copies or parses it
/// synchronously.
/// </summary>
public sealed record InboundPublish(string ClientId, string Topic, ReadOnlySequence<byte> Payload, bool SpeaksMqtt5);

/// <summary>Why the broker refuses a message: the publisher is told and keeps the message to send again.</summary>
public sealed record PublishRefusal(string Reason);

/// <summary>
/// Takes the messages clients publish to the embedded broker before the broker sends its PUBACK. The broker awaits
/// the handler, so a handler that waits holds that client's PUBACK back: this is how the broker applies back-pressure.
/// </summary>
public interface IInboundPublishHandler
{
    /// <summary>Whether this handler takes messages on the topic (checked before anything is allocated).</summary>
    bool Handles(string topic);

    /// <summary>Null when the broker may acknowledge the message; a refusal when the publisher must send it again.</summary>
    ValueTask<PublishRefusal?> HandleAsync(InboundPublish publish, CancellationToken cancellationToken);
}
