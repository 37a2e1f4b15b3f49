using System.Net.Http.Headers;
using System.Text.Json;

namespace PropertyEba.Ingestion.Benchmarks;

/// <summary>The counters of <c>GET /api/ingestion/stats</c> the benchmark compares; a counter the cloud does not have yet is null.</summary>
internal sealed record IngestionCounters(
    long SamplesAccepted, long BatchesAccepted, long MessagesReceived, long PayloadsRejected, long DuplicateBatches, long SequenceGaps,
    long SamplesDropped, long? MessagesRefused, long? SamplesRefused, long? BackPressureWaits);

/// <summary>
/// Reads the cloud's ingestion counters. Parsed by name rather than through the DTO type, so the harness measures
/// older and newer clouds alike (fields are added within v1 of the API).
/// </summary>
internal sealed class IngestionStatsReader(HttpClient http, string? bearerToken)
{
    public async Task<IngestionCounters> ReadAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/ingestion/stats");
        if (!string.IsNullOrEmpty(bearerToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"GET {http.BaseAddress}api/ingestion/stats answered {(int)response.StatusCode} {response.ReasonPhrase}" +
                (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden ? "; pass --api-token" : ""));
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        var root = json.RootElement;
        return new IngestionCounters(
            Required(root, "samplesAccepted"), Required(root, "batchesAccepted"), Required(root, "messagesReceived"),
            Required(root, "payloadsRejected"), Required(root, "duplicateBatches"), Required(root, "sequenceGaps"),
            Required(root, "samplesDropped"), Optional(root, "messagesRefused"), Optional(root, "samplesRefused"),
            Optional(root, "backPressureWaits"));
    }

    /// <summary>
    /// Polls until samplesAccepted has not grown for <paramref name="quiet"/> or <paramref name="limit"/> passes: the cloud
    /// may still be storing what it took in during the load. Returns the last counters and when they last grew.
    /// </summary>
    public async Task<(IngestionCounters Counters, long LastGrowthTimestamp, bool Settled)> WaitUntilSettledAsync(
        TimeProvider time, TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var last = await ReadAsync(cancellationToken);
        var lastGrowth = time.GetTimestamp();
        while (time.GetElapsedTime(start) < limit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
            var now = await ReadAsync(cancellationToken);
            if (now.SamplesAccepted != last.SamplesAccepted)
            {
                lastGrowth = time.GetTimestamp();
            }
            else if (time.GetElapsedTime(lastGrowth) >= quiet)
            {
                return (now, lastGrowth, true);
            }

            last = now;
        }

        return (last, lastGrowth, false);
    }

    private static long Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.TryGetInt64(out var n)
            ? n
            : throw new InvalidOperationException($"/api/ingestion/stats has no number '{name}': {root.GetRawText()}");

    private static long? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : null;
}
