using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// Takes accepted batches, events and edge statuses in order. A batch: skips duplicates, stores the samples,
/// updates the latest values, runs the alarm engine and publishes the values live. An event about a device's
/// communication, or an edge's status: runs the alarm engine on the device's or the edge's
/// <see cref="CommunicationPoint"/>. A failure on one message is logged and counted, and the message is left
/// unacknowledged for the broker to redeliver; the worker goes on with the next.
/// </summary>
internal sealed partial class IngestionWorker(
    IngestionQueue queue,
    IngestionStats stats,
    ITelemetryStore store,
    LatestValueCache latest,
    EdgeRegistry edges,
    AlarmEngine alarms,
    LiveEvents live,
    TimeProvider time,
    ILogger<IngestionWorker> logger) : BackgroundService
{
    // Per device, the time of the last communication event applied (only this worker's thread touches it).
    private readonly Dictionary<(string Tenant, string Site, string Device), long> _lastCommEventUtcMs = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await (item switch
                    {
                        AcceptedBatch batch => IngestAsync(batch, stoppingToken),
                        AcceptedEvent ev => HandleEventAsync(ev, stoppingToken),
                        AcceptedEdgeState state => HandleEdgeStateAsync(state, stoppingToken),
                        _ => throw new InvalidOperationException($"No handler for {item.GetType().Name}."),
                    });
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Not acknowledged: the broker keeps the message and redelivers it when the session resumes.
                    if (item is AcceptedBatch { Batch: var batch })
                    {
                        stats.StoreFailed(batch.Samples.Count);
                        LogBatchFailed(ex, item.Topic.Tenant, item.Topic.Site, batch.EdgeId, batch.Seq, batch.Samples.Count);
                    }
                    else
                    {
                        stats.EventFailed();
                        LogMessageFailed(ex, item.Topic.Tenant, item.Topic.Site, item.Topic.Edge, item.GetType().Name);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task IngestAsync(AcceptedBatch item, CancellationToken ct)
    {
        var (topic, batch, acknowledgeAsync) = item;
        var edgeKey = $"{topic.Tenant}/{topic.Site}/{topic.Edge}";
        if (stats.Sequences.Check(edgeKey, batch.Seq) == SequenceVerdict.Duplicate)
        {
            LogDuplicate(edgeKey, batch.Seq);
            await acknowledgeAsync(ct);
            return;
        }

        var rows = new List<(SeriesKey, StoredSample)>(batch.Samples.Count);
        foreach (var s in batch.Samples)
        {
            rows.Add((new SeriesKey(topic.Tenant, topic.Site, s.DeviceId, s.PointId), new StoredSample(s.TimestampUtcMs, s.Value, (byte)s.Quality)));
        }

        // Stored first, then acknowledged, then shown: a batch the broker considers delivered is on disk,
        // and nothing appears live that the history would not have.
        await store.AppendAsync(rows, ct);
        stats.Sequences.Record(edgeKey, batch.Seq);
        stats.Accepted(rows.Count);
        edges.TelemetryReceived(topic);
        await acknowledgeAsync(ct);

        var liveValues = new List<LiveValueDto>(rows.Count);
        var forAlarms = new List<(string, string, double, long)>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (key, stored) = rows[i];
            var s = batch.Samples[i];
            if (latest.Update(key, stored))
            {
                liveValues.Add(new LiveValueDto(topic.Tenant, topic.Site, s.DeviceId, s.PointId, s.Value, QualityName(s.Quality), s.TimestampUtcMs));
            }

            if (s.Value is { } v && s.Quality != SampleQuality.Bad)
            {
                forAlarms.Add((s.DeviceId, s.PointId, v, s.TimestampUtcMs));
            }
        }

        // Data from the edge is the surest sign that it is online: a broker may publish the last will of an earlier
        // connection after the new birth (EdgeRegistry), which must not leave the edge offline while it publishes.
        forAlarms.Add((topic.Edge, CommunicationPoint.EdgeOfflineId, 0, time.GetUtcNow().ToUnixTimeMilliseconds()));
        live.PublishValues(liveValues);
        await alarms.ProcessAsync(topic.Tenant, topic.Site, forAlarms, ct);
    }

    private async Task HandleEventAsync(AcceptedEvent item, CancellationToken ct)
    {
        var (topic, ev, lost, acknowledgeAsync) = item;

        // A message left unacknowledged after a failure comes again after later ones: an old "lost" must not undo
        // the "restored" that followed it.
        var device = (topic.Tenant, topic.Site, ev.DeviceId!);
        if (_lastCommEventUtcMs.TryGetValue(device, out var last) && ev.TimestampUtcMs < last)
        {
            stats.EventOutOfOrder();
            LogEventOutOfOrder(topic.Tenant, topic.Site, ev.DeviceId!, ev.Kind, ev.TimestampUtcMs, last);
        }
        else
        {
            await alarms.ProcessAsync(topic.Tenant, topic.Site, [(ev.DeviceId!, CommunicationPoint.Id, lost, ev.TimestampUtcMs)], ct);
            _lastCommEventUtcMs[device] = ev.TimestampUtcMs;
        }

        await acknowledgeAsync(ct);
    }

    private async Task HandleEdgeStateAsync(AcceptedEdgeState item, CancellationToken ct)
    {
        var (topic, online, arrivedUtcMs, acknowledgeAsync) = item;
        await alarms.ProcessAsync(topic.Tenant, topic.Site, [(topic.Edge, CommunicationPoint.EdgeOfflineId, online ? 0 : 1, arrivedUtcMs)], ct);
        await acknowledgeAsync(ct);
    }

    internal static string QualityName(SampleQuality q) => q switch
    {
        SampleQuality.Good => "good",
        SampleQuality.Uncertain => "uncertain",
        _ => "bad",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store batch {Seq} of {TenantId}/{SiteId}/{EdgeId} ({SampleCount} samples); left unacknowledged for the broker to redeliver")]
    private partial void LogBatchFailed(Exception ex, string tenantId, string siteId, string edgeId, long seq, int sampleCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored {Kind} of {TenantId}/{SiteId}/{DeviceId} at {TimestampUtcMs}: older than the device's last communication event at {LastUtcMs}")]
    private partial void LogEventOutOfOrder(string tenantId, string siteId, string deviceId, string kind, long timestampUtcMs, long lastUtcMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not handle a {MessageType} of {TenantId}/{SiteId}/{EdgeId}; left unacknowledged for the broker to redeliver")]
    private partial void LogMessageFailed(Exception ex, string tenantId, string siteId, string edgeId, string messageType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped duplicate batch {Seq} of {Edge}")]
    private partial void LogDuplicate(string edge, long seq);
}
