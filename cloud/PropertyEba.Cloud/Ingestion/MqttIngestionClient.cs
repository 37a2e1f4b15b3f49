using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// The cloud's MQTT client: subscribes to every edge's telemetry, status and events (QoS 1), validates
/// each payload, and hands accepted batches to the <see cref="IngestionQueue"/>. Invalid payloads are
/// rejected, counted and logged; nothing a client publishes can stop this loop.
/// </summary>
internal sealed partial class MqttIngestionClient(
    IOptions<MqttOptions> options,
    BrokerEndpoint broker,
    IngestionQueue queue,
    IngestionStats stats,
    EdgeRegistry edges,
    TimeProvider time,
    ILogger<MqttIngestionClient> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var (host, port) = await broker.WhenReady(stoppingToken);
        var factory = new MqttClientFactory();
        using var client = factory.CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e => OnMessageAsync(e, stoppingToken);
        var o = options.Value;
        var builder = factory.CreateClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(o.ClientId)
            .WithCleanSession(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15));
        if (!string.IsNullOrEmpty(o.Username))
        {
            builder = builder.WithCredentials(o.Username, o.Password);
        }

        var clientOptions = builder.Build();
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
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
                        .Build();
                    await client.SubscribeAsync(subscribe, stoppingToken);
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
        stats.MessageReceived();
        var message = e.ApplicationMessage;
        try
        {
            if (!MqttTopics.TryParse(message.Topic, out var topic))
            {
                Reject(message.Topic, "topic is not eba/v1/{tenant}/{site}/{edge}/{channel}");
                return;
            }

            var payload = message.Payload;
            byte[]? rented = null;
            ReadOnlySpan<byte> bytes;
            if (payload.IsSingleSegment)
            {
                bytes = payload.FirstSpan;
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent((int)Math.Min(payload.Length, TelemetryPayloadParser.MaxPayloadBytes + 1));
                var length = (int)Math.Min(payload.Length, rented.Length);
                payload.Slice(0, length).CopyTo(rented);
                bytes = rented.AsSpan(0, length);
            }

            try
            {
                switch (topic.Channel)
                {
                    case MqttTopics.Telemetry:
                        var (batch, error) = TelemetryPayloadParser.Parse(bytes, topic, time.GetUtcNow().ToUnixTimeMilliseconds());
                        if (batch is null)
                        {
                            Reject(message.Topic, error!);
                            return;
                        }

                        // The worker acknowledges after the batch is stored; until then the broker keeps it
                        // and redelivers it if this service stops. A full queue makes this wait: back-pressure.
                        e.AutoAcknowledge = false;
                        await queue.Writer.WriteAsync(new AcceptedBatch(topic, batch, e.AcknowledgeAsync), stoppingToken);
                        break;
                    case MqttTopics.Status:
                        if (HandleStatus(topic, message.Topic, bytes) is { } online)
                        {
                            e.AutoAcknowledge = false;
                            await queue.Writer.WriteAsync(
                                new AcceptedEdgeState(topic, online, time.GetUtcNow().ToUnixTimeMilliseconds(), e.AcknowledgeAsync), stoppingToken);
                        }

                        break;
                    case MqttTopics.Events:
                        // Only events about a device's communication concern the alarm engine; the others are logged.
                        if (ParseEvent(topic, message.Topic, bytes) is { } ev && CommunicationPoint.ValueFor(ev) is { } lost)
                        {
                            // Acknowledged once the alarm engine has seen it, as a batch is once stored.
                            e.AutoAcknowledge = false;
                            await queue.Writer.WriteAsync(new AcceptedEvent(topic, ev, lost, e.AcknowledgeAsync), stoppingToken);
                        }

                        break;
                    default:
                        Reject(message.Topic, $"channel '{topic.Channel}' is not one the cloud reads");
                        break;
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the message stays unacknowledged and the broker redelivers it.
            e.ProcessingFailed = true;
        }
        catch (Exception ex)
        {
            Reject(message.Topic, $"unexpected error: {ex.Message}");
            LogHandlerFailed(ex, message.Topic);
        }
    }

    // Updates the edge registry from a status payload; returns whether the edge is online, or null when the payload
    // was rejected. An empty (cleared) retained status retires the edge: it counts as online, so its alarm clears.
    private bool? HandleStatus(TopicAddress topic, string topicText, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return true;
        }

        try
        {
            var status = JsonSerializer.Deserialize(bytes, ContractsJsonContext.Default.EdgeStatus);
            if (status is null || status.EdgeId != topic.Edge)
            {
                Reject(topicText, "status payload is null or names another edge");
                return null;
            }

            edges.Update(topic, status);
            LogEdgeStatus(topic.Tenant, topic.Site, topic.Edge, status.State.ToString());
            return status.State == EdgeState.Online;
        }
        catch (JsonException ex)
        {
            Reject(topicText, $"not a v1 status: {ex.Message}");
            return null;
        }
    }

    private EdgeEvent? ParseEvent(TopicAddress topic, string topicText, ReadOnlySpan<byte> bytes)
    {
        try
        {
            var ev = JsonSerializer.Deserialize(bytes, ContractsJsonContext.Default.EdgeEvent);
            if (ev is null || ev.EdgeId != topic.Edge)
            {
                Reject(topicText, "event payload is null or names another edge");
                return null;
            }

            if (ev.DeviceId is { } deviceId && !MqttTopics.IsId(deviceId))
            {
                Reject(topicText, $"event names device '{deviceId}', which is not a valid device id");
                return null;
            }

            LogEdgeEvent(topic.Tenant, topic.Site, topic.Edge, ev.Kind, ev.DeviceId, ev.Detail);
            return ev;
        }
        catch (JsonException ex)
        {
            Reject(topicText, $"not a v1 event: {ex.Message}");
            return null;
        }
    }

    private void Reject(string topic, string reason)
    {
        stats.Rejected($"{topic}: {reason}");
        LogRejected(topic, reason, stats.PayloadsRejected);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingestion connected to MQTT broker {Host}:{Port}")]
    private partial void LogConnected(string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingestion cannot reach MQTT broker {Host}:{Port}; retrying in {RetrySeconds} s: {Reason}")]
    private partial void LogConnectFailed(string host, int port, double retrySeconds, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker {Host}:{Port} did not confirm the disconnect within 5 s; stopping anyway")]
    private partial void LogDisconnectTimedOut(string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected MQTT payload on {Topic}: {Reason} (rejected so far: {RejectedTotal})")]
    private partial void LogRejected(string topic, string reason, long rejectedTotal);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message on {Topic} failed")]
    private partial void LogHandlerFailed(Exception ex, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Edge {TenantId}/{SiteId}/{EdgeId} is {State}")]
    private partial void LogEdgeStatus(string tenantId, string siteId, string edgeId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge {TenantId}/{SiteId}/{EdgeId} reports {Kind} for device {DeviceId}: {Detail}")]
    private partial void LogEdgeEvent(string tenantId, string siteId, string edgeId, string kind, string? deviceId, string? detail);
}
