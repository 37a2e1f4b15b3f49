using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Testing.Load;

namespace PropertyEba.Ingestion.Benchmarks;

/// <summary>What the reference writers achieved.</summary>
internal sealed record InfluxWriteReport(long SamplesWritten, long RequestsWritten, long Retries, IReadOnlyDictionary<string, long> FailuresByReason, TimeSpan Elapsed);

/// <summary>
/// The reference of the ingestion benchmark: the same samples the MQTT load sends (same series, 100 per request,
/// the same window of requests in flight per writer, the same pacing) written raw to influxd 1.x as line protocol
/// (<c>POST /write?db=…&amp;precision=ms</c>). A sample counts as written on the 204; a failed request is counted and
/// sent again, as the MQTT publishers re-send, so both sides are measured at-least-once.
/// </summary>
internal sealed class InfluxLineProtocolWriter(HttpClient http, string database, TelemetryLoadOptions load)
{
    private readonly ConcurrentDictionary<string, long> _failures = new(StringComparer.Ordinal);
    private long _samplesWritten;
    private long _requestsWritten;
    private long _retries;

    public long SamplesWritten => Interlocked.Read(ref _samplesWritten);

    public async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent([new("q", $"CREATE DATABASE {database}")]);
        using var response = await http.PostAsync("/query", content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task<InfluxWriteReport> RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, load.Publishers).Select(i => WriteAsync(i, time, start, cancellationToken)));
        return new InfluxWriteReport(SamplesWritten, Interlocked.Read(ref _requestsWritten), Interlocked.Read(ref _retries),
            new SortedDictionary<string, long>(_failures, StringComparer.Ordinal), time.GetElapsedTime(start));
    }

    private async Task WriteAsync(int index, TimeProvider time, long start, CancellationToken cancellationToken)
    {
        var series = new LoadSeriesCursor(index, load.Publishers, load.Series, load.PointsPerDevice);
        var interval = load.OfferedSamplesPerSecond is { } rate ? TimeSpan.FromSeconds(load.SamplesPerBatch / (rate / load.Publishers)) : (TimeSpan?)null;
        var window = new SemaphoreSlim(load.MaxInFlight, load.MaxInFlight);
        var uri = $"/write?db={Uri.EscapeDataString(database)}&precision=ms";
        var tags = $"telemetry,tenant={load.TenantId},site={load.SiteId},device=";
        long produced = 0;
        while (time.GetElapsedTime(start) < load.Duration)
        {
            if (interval is { } i && i * produced - time.GetElapsedTime(start) is var wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            var samples = series.NextBatch(load.SamplesPerBatch, time.GetUtcNow().ToUnixTimeMilliseconds());
            var body = LineProtocol(tags, samples);
            produced++;
            await window.WaitAsync(cancellationToken);
            _ = PostUntilWrittenAsync(uri, body, samples.Length, window, cancellationToken);
        }

        for (var i = 0; i < load.MaxInFlight; i++)
        {
            await window.WaitAsync(cancellationToken);
        }
    }

    private async Task PostUntilWrittenAsync(string uri, byte[] body, int samples, SemaphoreSlim window, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
            {
                if (attempt > 0)
                {
                    Interlocked.Increment(ref _retries);
                }

                try
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
                    using var response = await http.PostAsync(uri, content, cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Add(ref _samplesWritten, samples);
                        Interlocked.Increment(ref _requestsWritten);
                        return;
                    }

                    _failures.AddOrUpdate($"HTTP {(int)response.StatusCode}", 1, (_, n) => n + 1);
                }
                catch (HttpRequestException ex)
                {
                    _failures.AddOrUpdate($"request failed ({ex.HttpRequestError})", 1, (_, n) => n + 1);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run was stopped; what was not written is not counted.
        }
        finally
        {
            window.Release();
        }
    }

    private static byte[] LineProtocol(string tags, TelemetrySample[] samples)
    {
        var text = new StringBuilder(samples.Length * 96);
        foreach (var s in samples)
        {
            text.Append(tags).Append(s.DeviceId).Append(",point=").Append(s.PointId)
                .Append(" value=").Append(s.Value!.Value.ToString("R", CultureInfo.InvariantCulture))
                .Append(",quality=").Append((int)s.Quality).Append("i ")
                .Append(s.TimestampUtcMs.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
