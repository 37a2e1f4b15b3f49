using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Edge.Tests.Infrastructure;

/// <summary>One message the probe received.</summary>
internal sealed record ReceivedMessage(string Topic, byte[] Payload, bool Retain, bool Dup)
{
    public TelemetryBatch Batch => JsonSerializer.Deserialize(Payload, ContractsJsonContext.Default.TelemetryBatch)!;

    public EdgeStatus Status => JsonSerializer.Deserialize(Payload, ContractsJsonContext.Default.EdgeStatus)!;

    public EdgeEvent Event => JsonSerializer.Deserialize(Payload, ContractsJsonContext.Default.EdgeEvent)!;
}

/// <summary>
/// A plain MQTT subscriber standing in for the cloud: subscribes to the whole v1 tree at QoS 1 and
/// records every message. With a persistent session it also receives what was published while it
/// was disconnected (the broker queues it).
/// </summary>
internal sealed class MqttProbe : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly ConcurrentQueue<ReceivedMessage> _messages = new();

    private MqttProbe(IMqttClient client, MqttClientOptions options)
    {
        _client = client;
        _options = options;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            _messages.Enqueue(new ReceivedMessage(m.Topic, m.Payload.ToArray(), m.Retain, m.Dup));
            return Task.CompletedTask;
        };
    }

    public IReadOnlyList<ReceivedMessage> Messages => _messages.ToArray();

    public IReadOnlyList<ReceivedMessage> On(string channel) => Messages.Where(m => m.Topic.EndsWith("/" + channel, StringComparison.Ordinal)).ToList();

    public static async Task<MqttProbe> ConnectAsync(int port, string clientId = "", bool persistentSession = false)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId(string.IsNullOrEmpty(clientId) ? "probe-" + Guid.NewGuid().ToString("N")[..8] : clientId)
            .WithCleanSession(!persistentSession)
            .Build();
        var probe = new MqttProbe(new MqttClientFactory().CreateMqttClient(), options);
        await probe.ReconnectAsync();
        return probe;
    }

    /// <summary>Connects (again) and subscribes; retries until the broker accepts.</summary>
    public async Task ReconnectAsync() =>
        await PropertyEba.Testing.Eventually.UntilAsync(
            async ct =>
            {
                if (!_client.IsConnected)
                {
                    await _client.ConnectAsync(_options, ct);
                    await _client.SubscribeAsync(MqttTopics.Root + "/#", MqttQualityOfServiceLevel.AtLeastOnce, ct);
                }

                return true;
            },
            "the probe to connect and subscribe");

    public bool IsConnected => _client.IsConnected;

    public EdgeCommandResult CommandResult(string commandId) =>
        JsonSerializer.Deserialize(Messages.Last(m => m.Topic.EndsWith("/cmd-result/" + commandId, StringComparison.Ordinal)).Payload, ContractsJsonContext.Default.EdgeCommandResult)!;

    /// <summary>Publishes as the cloud would (QoS 1), e.g. a command or a retained desired configuration.</summary>
    public async Task PublishAsync(string topic, byte[] payload, bool retain = false) =>
        await _client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build());

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
