using System.Text.Json;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// Parses and validates an edge event payload (<c>…/events</c>, schema v1). Pure, like
/// <see cref="TelemetryPayloadParser"/>: the event or a message that says what is wrong, never an exception.
/// </summary>
public static class EdgeEventPayloadParser
{
    public static (EdgeEvent? Event, string? Error) Parse(ReadOnlySpan<byte> payload, TopicAddress topic, long nowUtcMs)
    {
        if (payload.Length > TelemetryPayloadParser.MaxPayloadBytes)
        {
            return (null, $"event payload of {payload.Length} bytes exceeds the {TelemetryPayloadParser.MaxPayloadBytes}-byte limit");
        }

        EdgeEvent? ev;
        try
        {
            ev = JsonSerializer.Deserialize(payload, ContractsJsonContext.Default.EdgeEvent);
        }
        catch (JsonException ex)
        {
            return (null, $"not a v1 event: {ex.Message}");
        }

        if (ev is null || ev.EdgeId != topic.Edge)
        {
            return (null, "event payload is null or names another edge");
        }

        if (ev.Schema != TelemetryBatch.CurrentSchema)
        {
            return (null, $"event schema {ev.Schema} is not supported; this service reads schema {TelemetryBatch.CurrentSchema}");
        }

        if (ev.DeviceId is { } deviceId && !MqttTopics.IsId(deviceId))
        {
            return (null, $"event names device '{deviceId}', which is not a valid device id");
        }

        // The worker orders communication events by this timestamp: one from a broken clock far in the future would
        // make every later, true event look out of order and leave the device's communication alarm stuck.
        if (!TelemetryPayloadParser.IsAcceptedTimestamp(ev.TimestampUtcMs, nowUtcMs))
        {
            return (null, $"event timestampUtcMs {ev.TimestampUtcMs} is outside 2020-01-01 .. now + 1 h");
        }

        return (ev, null);
    }
}
