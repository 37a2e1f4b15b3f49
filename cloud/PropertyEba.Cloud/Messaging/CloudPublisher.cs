using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace PropertyEba.Cloud.Messaging;

/// <summary>
/// Publishes what the cloud sends its edges (a command, a retained desired configuration) at QoS 1: into the embedded
/// broker as the cloud's own client, or through the cloud's client of an external broker (the ingestion client
/// attaches it once connected). Throws <see cref="BrokerUnavailableException"/> when the message cannot be handed over.
/// </summary>
public interface ICloudPublisher
{
    Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken);
}

/// <summary>The message could not be handed to the broker; the caller says so to whoever asked.</summary>
public sealed class BrokerUnavailableException(string message) : Exception(message);

// The brokers attach themselves (rather than being injected here): the embedded broker depends on the handlers that
// take its messages, and those send commands through this publisher.
internal sealed class CloudPublisher(IOptions<MqttOptions> options) : ICloudPublisher
{
    private volatile IMqttClient? _external;
    private volatile EmbeddedMqttBroker? _embedded;

    /// <summary>The embedded broker, once started.</summary>
    public void AttachEmbedded(EmbeddedMqttBroker broker) => _embedded = broker;

    /// <summary>The cloud's connected client of the external broker (null when it disconnects).</summary>
    public void AttachExternal(IMqttClient? client) => _external = client;

    public async Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        if (options.Value.EmbeddedBroker)
        {
            await (_embedded ?? throw new BrokerUnavailableException("the embedded MQTT broker has not started")).InjectAsync(message, cancellationToken);
            return;
        }

        if (_external is not { IsConnected: true } client)
        {
            throw new BrokerUnavailableException($"the cloud is not connected to the MQTT broker {options.Value.Host}:{options.Value.Port}");
        }

        var result = await client.PublishAsync(message, cancellationToken);
        if ((int)result.ReasonCode >= 0x80)
        {
            throw new BrokerUnavailableException($"the MQTT broker refused the message: {result.ReasonCode} {result.ReasonString}");
        }
    }
}
