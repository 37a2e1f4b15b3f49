using System.Text.Json;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// Parses and validates a telemetry payload against schema v1 (docs/mqtt-contract.md). Pure: it
/// returns the batch or a message that says exactly what is wrong, and never throws on bad input.
/// </summary>
public static class TelemetryPayloadParser
{
    public const int MaxSamplesPerBatch = 5000;
    public const int MaxPayloadBytes = 2 * 1024 * 1024;

    // Samples older than this or further in the future than the skew are refused: they are a broken
    // clock or a corrupt payload, and would land in the wrong place of every chart.
    private static readonly long OldestAcceptedUtcMs = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long MaxFutureSkewMs = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    /// <summary>Whether a sample or event time is plausible: from 2020-01-01 to one hour past now.</summary>
    public static bool IsAcceptedTimestamp(long timestampUtcMs, long nowUtcMs) =>
        timestampUtcMs >= OldestAcceptedUtcMs && timestampUtcMs - MaxFutureSkewMs <= nowUtcMs;

    public static (TelemetryBatch? Batch, string? Error) Parse(ReadOnlySpan<byte> payload, TopicAddress topic, long nowUtcMs)
    {
        if (payload.Length == 0)
        {
            return (null, "empty payload");
        }

        if (payload.Length > MaxPayloadBytes)
        {
            return (null, $"payload of {payload.Length} bytes exceeds the {MaxPayloadBytes}-byte limit");
        }

        TelemetryBatch? batch;
        try
        {
            batch = JsonSerializer.Deserialize(payload, ContractsJsonContext.Default.TelemetryBatch);
        }
        catch (JsonException ex)
        {
            return (null, $"not a v1 telemetry batch: {ex.Message}");
        }

        if (batch is null)
        {
            return (null, "payload is JSON null");
        }

        if (batch.Schema != TelemetryBatch.CurrentSchema)
        {
            return (null, $"schema {batch.Schema} is not supported; this service reads schema {TelemetryBatch.CurrentSchema}");
        }

        if (batch.EdgeId != topic.Edge)
        {
            return (null, $"edgeId '{batch.EdgeId}' does not match the topic's edge '{topic.Edge}'");
        }

        if (batch.Seq < 0)
        {
            return (null, $"seq {batch.Seq} is negative");
        }

        if (batch.Samples is null || batch.Samples.Count == 0)
        {
            return (null, "samples is empty");
        }

        if (batch.Samples.Count > MaxSamplesPerBatch)
        {
            return (null, $"{batch.Samples.Count} samples exceed the limit of {MaxSamplesPerBatch} per batch");
        }

        for (var i = 0; i < batch.Samples.Count; i++)
        {
            var s = batch.Samples[i];
            if (s is null)
            {
                return (null, $"samples[{i}] is null");
            }

            if (!MqttTopics.IsId(s.DeviceId) || !MqttTopics.IsId(s.PointId.Replace('.', '_')))
            {
                return (null, $"samples[{i}] has an invalid deviceId '{s.DeviceId}' or pointId '{s.PointId}' (letters, digits, '-', '_', '.')");
            }

            if (s.PointId.StartsWith(PropertyEba.Modbus.Profiles.DeviceProfileLoader.ReservedPointPrefix, StringComparison.Ordinal))
            {
                // comm.* points are computed by the cloud from events and statuses; an edge that sent one could raise
                // or clear a communication alarm without the event that must stand behind it.
                return (null, $"samples[{i}] has the reserved pointId '{s.PointId}': points '{PropertyEba.Modbus.Profiles.DeviceProfileLoader.ReservedPointPrefix}*' are computed by the cloud, never sent");
            }

            if (!IsAcceptedTimestamp(s.TimestampUtcMs, nowUtcMs))
            {
                return (null, $"samples[{i}] timestampUtcMs {s.TimestampUtcMs} is outside 2020-01-01 .. now + 1 h");
            }

            if (s.Value is { } v && !double.IsFinite(v))
            {
                return (null, $"samples[{i}] value is not a finite number");
            }

            if (s.Value is null && s.Quality == SampleQuality.Good)
            {
                return (null, $"samples[{i}] has quality good but no value");
            }
        }

        return (batch, null);
    }
}
