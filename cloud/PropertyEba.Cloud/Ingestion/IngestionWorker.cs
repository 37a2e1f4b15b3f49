using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// Takes accepted batches in order: skips duplicates, stores the samples, updates the latest values,
/// runs the alarm engine and publishes the values live. A failure on one batch is logged and counted
/// as dropped samples; the worker goes on with the next.
/// </summary>
internal sealed partial class IngestionWorker(
    IngestionQueue queue,
    IngestionStats stats,
    ITelemetryStore store,
    LatestValueCache latest,
    AlarmEngine alarms,
    LiveEvents live,
    ILogger<IngestionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await IngestAsync(item, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    stats.Dropped(item.Batch.Samples.Count);
                    LogBatchFailed(ex, item.Topic.Tenant, item.Topic.Site, item.Batch.EdgeId, item.Batch.Seq, item.Batch.Samples.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task IngestAsync(AcceptedBatch item, CancellationToken ct)
    {
        var (topic, batch) = item;
        var edgeKey = $"{topic.Tenant}/{topic.Site}/{topic.Edge}";
        if (stats.Sequences.Observe(edgeKey, batch.Seq) == SequenceVerdict.Duplicate)
        {
            LogDuplicate(edgeKey, batch.Seq);
            return;
        }

        var rows = new List<(SeriesKey, StoredSample)>(batch.Samples.Count);
        var liveValues = new List<LiveValueDto>(batch.Samples.Count);
        var forAlarms = new List<(string, string, double, long)>(batch.Samples.Count);
        foreach (var s in batch.Samples)
        {
            var key = new SeriesKey(topic.Tenant, topic.Site, s.DeviceId, s.PointId);
            var stored = new StoredSample(s.TimestampUtcMs, s.Value, (byte)s.Quality);
            rows.Add((key, stored));
            if (latest.Update(key, stored))
            {
                liveValues.Add(new LiveValueDto(topic.Tenant, topic.Site, s.DeviceId, s.PointId, s.Value, QualityName(s.Quality), s.TimestampUtcMs));
            }

            if (s.Value is { } v && s.Quality != SampleQuality.Bad)
            {
                forAlarms.Add((s.DeviceId, s.PointId, v, s.TimestampUtcMs));
            }
        }

        await store.AppendAsync(rows, ct);
        stats.Accepted(rows.Count);
        live.PublishValues(liveValues);
        await alarms.ProcessAsync(topic.Tenant, topic.Site, forAlarms, ct);
    }

    internal static string QualityName(SampleQuality q) => q switch
    {
        SampleQuality.Good => "good",
        SampleQuality.Uncertain => "uncertain",
        _ => "bad",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped batch {Seq} of {TenantId}/{SiteId}/{EdgeId} ({SampleCount} samples) after an error")]
    private partial void LogBatchFailed(Exception ex, string tenantId, string siteId, string edgeId, long seq, int sampleCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped duplicate batch {Seq} of {Edge}")]
    private partial void LogDuplicate(string edge, long seq);
}
