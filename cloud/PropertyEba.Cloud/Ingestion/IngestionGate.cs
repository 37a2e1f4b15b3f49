using System.Buffers;
using System.Text.Json;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>How the receiver of a message tells its broker the outcome, once the worker has handled it.</summary>
/// <param name="AcknowledgeAsync">The message is handled (a batch: stored); the broker may consider it delivered.</param>
/// <param name="Refuse">The message could not be handled; the publisher or broker must deliver it again.</param>
public sealed record Delivery(Func<CancellationToken, Task> AcknowledgeAsync, Action<string> Refuse);

/// <summary>
/// The one entrance to ingestion, whichever broker the message came through: validates a message's topic and payload
/// (rejecting, counting and logging what is invalid), and turns what is valid into an <see cref="AcceptedMessage"/>
/// for the <see cref="IngestionQueue"/>. Enqueueing waits while the queue is full, which holds the broker's
/// acknowledgement back: back-pressure, never a drop.
/// </summary>
internal sealed partial class IngestionGate(
    IngestionQueue queue,
    IngestionStats stats,
    EdgeRegistry edges,
    TimeProvider time,
    ILogger<IngestionGate> logger)
{
    /// <summary>Whether the topic is a channel the cloud ingests (telemetry, status, events of a v1 edge).</summary>
    public static bool IsIngestTopic(string topic) =>
        topic.StartsWith(MqttTopics.Root + "/", StringComparison.Ordinal)
        && (topic.EndsWith("/" + MqttTopics.Telemetry, StringComparison.Ordinal)
            || topic.EndsWith("/" + MqttTopics.Status, StringComparison.Ordinal)
            || topic.EndsWith("/" + MqttTopics.Events, StringComparison.Ordinal));

    /// <summary>
    /// Validates the message. Null when there is nothing to queue — it was rejected (counted and logged) or needs
    /// no further handling — and the caller acknowledges it at once: sending it again would not make it valid.
    /// </summary>
    public AcceptedMessage? Accept(string topicText, ReadOnlySequence<byte> payload, Delivery delivery)
    {
        stats.MessageReceived();
        if (!MqttTopics.TryParse(topicText, out var topic))
        {
            Reject(topicText, "topic is not eba/v1/{tenant}/{site}/{edge}/{channel}");
            return null;
        }

        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> bytes;
            if (payload.IsSingleSegment)
            {
                bytes = payload.FirstSpan;
            }
            else
            {
                // One byte over the limit is enough for the parser to say the payload is too large.
                var length = (int)Math.Min(payload.Length, TelemetryPayloadParser.MaxPayloadBytes + 1);
                rented = ArrayPool<byte>.Shared.Rent(length);
                payload.Slice(0, length).CopyTo(rented);
                bytes = rented.AsSpan(0, length);
            }

            switch (topic.Channel)
            {
                case MqttTopics.Telemetry:
                    var (batch, error) = TelemetryPayloadParser.Parse(bytes, topic, time.GetUtcNow().ToUnixTimeMilliseconds());
                    if (batch is null)
                    {
                        Reject(topicText, error!);
                        return null;
                    }

                    return new AcceptedBatch(topic, batch, delivery.AcknowledgeAsync) { Refuse = delivery.Refuse };
                case MqttTopics.Status:
                    return HandleStatus(topic, topicText, bytes) is { } online
                        ? new AcceptedEdgeState(topic, online, time.GetUtcNow().ToUnixTimeMilliseconds(), delivery.AcknowledgeAsync) { Refuse = delivery.Refuse }
                        : null;
                case MqttTopics.Events:
                    // Only events about a device's communication concern the alarm engine; the others are logged.
                    return ParseEvent(topic, topicText, bytes) is { } ev && CommunicationPoint.ValueFor(ev) is { } lost
                        ? new AcceptedEvent(topic, ev, lost, delivery.AcknowledgeAsync) { Refuse = delivery.Refuse }
                        : null;
                default:
                    Reject(topicText, $"channel '{topic.Channel}' is not one the cloud reads");
                    return null;
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

    /// <summary>Queues an accepted message; waits while the queue is full (counted), which slows the publisher down.</summary>
    public async ValueTask EnqueueAsync(AcceptedMessage message, CancellationToken cancellationToken)
    {
        if (queue.Writer.TryWrite(message))
        {
            return;
        }

        stats.BackPressureWait();
        await queue.Writer.WriteAsync(message, cancellationToken);
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

            if (SkippedProblem(status.SkippedSeq) is { } problem)
            {
                Reject(topicText, problem);
                return null;
            }

            edges.Update(topic, status);
            foreach (var range in status.SkippedSeq ?? [])
            {
                // Numbers the edge never used (it resumed after its reserved block following an unclean stop): no gap.
                var forgiven = stats.Sequences.RecordSkipped(EdgeSequenceTracker.KeyOf(topic), range.From, range.To);
                LogSkippedSeq(topic.Tenant, topic.Site, topic.Edge, range.From, range.To, forgiven);
            }

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
        var (ev, error) = EdgeEventPayloadParser.Parse(bytes, topic, time.GetUtcNow().ToUnixTimeMilliseconds());
        if (ev is null)
        {
            Reject(topicText, error!);
            return null;
        }

        LogEdgeEvent(topic.Tenant, topic.Site, topic.Edge, ev.Kind, ev.DeviceId, ev.Detail);
        return ev;
    }

    private void Reject(string topic, string reason)
    {
        stats.Rejected($"{topic}: {reason}");
        LogRejected(topic, reason, stats.PayloadsRejected);
    }

    /// <summary>The most ranges one status may announce (an edge announces at most 16).</summary>
    internal const int MaxSkippedRanges = 64;

    private static string? SkippedProblem(IReadOnlyList<SeqRange>? ranges)
    {
        if (ranges is null)
        {
            return null;
        }

        if (ranges.Count > MaxSkippedRanges)
        {
            return $"skippedSeq has {ranges.Count} ranges; at most {MaxSkippedRanges} are allowed";
        }

        foreach (var r in ranges)
        {
            if (r is null || r.From < 1 || r.To < r.From)
            {
                return r is null ? "skippedSeq holds null" : $"skippedSeq range {r.From}..{r.To} is invalid: from must be at least 1 and to at least from";
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Edge {TenantId}/{SiteId}/{EdgeId} announces it never used batch numbers {FromSeq}..{ToSeq} (it resumed after an unclean stop): no gap; {Forgiven} counted missing before are no longer")]
    private partial void LogSkippedSeq(string tenantId, string siteId, string edgeId, long fromSeq, long toSeq, long forgiven);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected MQTT payload on {Topic}: {Reason} (rejected so far: {RejectedTotal})")]
    private partial void LogRejected(string topic, string reason, long rejectedTotal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Edge {TenantId}/{SiteId}/{EdgeId} is {State}")]
    private partial void LogEdgeStatus(string tenantId, string siteId, string edgeId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge {TenantId}/{SiteId}/{EdgeId} reports {Kind} for device {DeviceId}: {Detail}")]
    private partial void LogEdgeEvent(string tenantId, string siteId, string edgeId, string kind, string? deviceId, string? detail);
}
