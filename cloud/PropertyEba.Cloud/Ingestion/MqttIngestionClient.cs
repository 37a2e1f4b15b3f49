using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// The cloud's MQTT client of an external broker (Mosquitto, EMQX…): subscribes to every edge's telemetry, status and
/// events (QoS 1, persistent session) and hands each message to the <see cref="IngestionGate"/>; it acknowledges a
/// message only once the worker has handled it. Invalid payloads are rejected, counted and logged; nothing a client
/// publishes can stop this loop. With the embedded broker this client does not run: <see cref="BrokerIngestion"/>
/// takes the messages inside the broker.
/// </summary>
internal sealed partial class MqttIngestionClient(
    IOptions<MqttOptions> options,
    BrokerEndpoint broker,
    IngestionGate gate,
    IngestionStats stats,
    CloudMqttIdentity identity,
    CloudPublisher publisher,
    IEnumerable<IInboundPublishHandler> handlers,
    TimeProvider time,
    ILogger<MqttIngestionClient> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    // Set when the worker could not handle a message: reconnecting resumes the session, and the broker delivers
    // again what this client left unacknowledged.
    private volatile bool _reconnectRequested;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.EmbeddedBroker)
        {
            // The embedded broker hands messages to BrokerIngestion itself; a client of it would only add a queue.
            return;
        }

        var (host, port) = await broker.WhenReady(stoppingToken);
        var factory = new MqttClientFactory();
        using var client = factory.CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e => OnMessageAsync(e, stoppingToken);
        var o = options.Value;
        var builder = factory.CreateClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(o.ClientId)
            .WithCleanSession(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithCredentials(identity.Username, identity.Password);
        var clientOptions = builder.Build();
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (_reconnectRequested && client.IsConnected)
            {
                _reconnectRequested = false;
                LogReconnectingForRedelivery(host, port);
                await client.DisconnectAsync(new MqttClientDisconnectOptions(), stoppingToken);
            }

            if (!client.IsConnected)
            {
                try
                {
                    await client.ConnectAsync(clientOptions, stoppingToken);
                    var prefix = string.IsNullOrEmpty(o.SharedSubscriptionGroup) ? "" : $"$share/{o.SharedSubscriptionGroup}/";
                    var subscribe = factory.CreateSubscribeOptionsBuilder()
                        .WithTopicFilter(f => f.WithTopic(prefix + MqttTopics.AllEdges(MqttTopics.Telemetry)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                        .WithTopicFilter(f => f.WithTopic(MqttTopics.AllEdges(MqttTopics.Status)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                        .WithTopicFilter(f => f.WithTopic(prefix + MqttTopics.AllEdges(MqttTopics.Events)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                        .WithTopicFilter(f => f.WithTopic(prefix + MqttTopics.AllEdges(MqttTopics.CommandResult + "/+")).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                        .Build();
                    await client.SubscribeAsync(subscribe, stoppingToken);

                    // Commands and desired configurations go out through this connection too (one client id per cloud).
                    publisher.AttachExternal(client);
                    LogConnected(host, port);
                    backoff = TimeSpan.FromMilliseconds(250);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogConnectFailed(host, port, backoff.TotalSeconds, ex.Message);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                }
            }

            try
            {
                await Task.Delay(client.IsConnected ? TimeSpan.FromSeconds(1) : backoff, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (client.IsConnected)
        {
            // stoppingToken is already cancelled here; a broker that no longer answers must not hold up shutdown.
            using var disconnectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            try
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptions(), disconnectTimeout.Token);
            }
            catch (OperationCanceledException) when (disconnectTimeout.IsCancellationRequested)
            {
                LogDisconnectTimedOut(host, port);
            }
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e, CancellationToken stoppingToken)
    {
        var message = e.ApplicationMessage;
        try
        {
            // Not ingestion: the outcome of a command, taken by the feature that sent it (as the embedded broker hands it).
            if (!IngestionGate.IsIngestTopic(message.Topic))
            {
                foreach (var handler in handlers.Where(h => h is not BrokerIngestion && h.Handles(message.Topic)))
                {
                    await handler.HandleAsync(new InboundPublish(e.ClientId, message.Topic, message.Payload, SpeaksMqtt5: false), stoppingToken);
                }

                return;
            }

            // Left unacknowledged until the worker has handled it: a batch the broker considers delivered is on disk.
            // A message the worker could not handle stays unacknowledged and the session is resumed, so the broker
            // delivers it again (persistent session, QoS 1).
            var delivery = new Delivery(e.AcknowledgeAsync, reason =>
            {
                stats.Refused(message.Topic, reason);
                _reconnectRequested = true;
            });
            if (gate.Accept(message.Topic, message.Payload, delivery) is { } accepted)
            {
                e.AutoAcknowledge = false;

                // A full queue makes this wait, so this client stops reading and the broker holds the messages.
                await gate.EnqueueAsync(accepted, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the message stays unacknowledged and the broker redelivers it.
            e.ProcessingFailed = true;
        }
        catch (Exception ex)
        {
            stats.Refused(message.Topic, $"unexpected error: {ex.Message}");
            LogHandlerFailed(ex, message.Topic);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingestion connected to MQTT broker {Host}:{Port}")]
    private partial void LogConnected(string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingestion cannot reach MQTT broker {Host}:{Port}; retrying in {RetrySeconds} s: {Reason}")]
    private partial void LogConnectFailed(string host, int port, double retrySeconds, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker {Host}:{Port} did not confirm the disconnect within 5 s; stopping anyway")]
    private partial void LogDisconnectTimedOut(string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconnecting to MQTT broker {Host}:{Port} so that it delivers again the messages left unacknowledged")]
    private partial void LogReconnectingForRedelivery(string host, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message on {Topic} failed")]
    private partial void LogHandlerFailed(Exception ex, string topic);

}
