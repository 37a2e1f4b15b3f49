using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// Takes accepted batches, events and edge statuses in order. Batches that wait together are stored in one write:
/// duplicates skipped, samples stored, then each batch acknowledged, its latest values updated, the alarm engine run
/// and the values published live. An event about a device's communication, or an edge's status: runs the alarm engine
/// on the device's or the edge's <see cref="CommunicationPoint"/>. A message that fails is logged, counted and
/// refused, so its publisher or broker delivers it again; the worker goes on with the next.
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

    // A group of batches is stored in one write: under load the queue holds many, and one append of thousands of
    // samples costs little more than one of a hundred. The cap keeps one write's memory and latency small.
    private const int MaxSamplesPerWrite = 20_000;

    private readonly List<AcceptedBatch> _group = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (reader.TryRead(out var item))
                {
                    if (item is AcceptedBatch first)
                    {
                        _group.Clear();
                        _group.Add(first);
                        var samples = first.Batch.Samples.Count;
                        while (samples < MaxSamplesPerWrite && reader.TryPeek(out var next) && next is AcceptedBatch && reader.TryRead(out next))
                        {
                            var batch = (AcceptedBatch)next;
                            _group.Add(batch);
                            samples += batch.Batch.Samples.Count;
                        }

                        await IngestAsync(_group, stoppingToken);
                    }
                    else
                    {
                        await HandleSignalAsync(item, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Whatever is still queued was never acknowledged: its publisher or broker delivers it again.
        }
    }

    // An edge event or status: handled one at a time, in order with the batches around it.
    private async Task HandleSignalAsync(AcceptedMessage item, CancellationToken ct)
    {
        try
        {
            await (item switch
            {
                AcceptedEvent ev => HandleEventAsync(ev, ct),
                AcceptedEdgeState state => HandleEdgeStateAsync(state, ct),
                _ => throw new InvalidOperationException($"No handler for {item.GetType().Name}."),
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            stats.EventFailed();
            LogMessageFailed(ex, item.Topic.Tenant, item.Topic.Site, item.Topic.Edge, item.GetType().Name);
            item.Refuse?.Invoke($"the cloud could not handle the {item.Topic.Channel} message: {ex.Message}");
        }
    }

    private async Task IngestAsync(List<AcceptedBatch> group, CancellationToken ct)
    {
        var fresh = new List<AcceptedBatch>(group.Count);
        var repeated = new List<AcceptedBatch>();
        var inThisWrite = new HashSet<(string Edge, long Seq)>();
        var rows = new List<SeriesSample>();
        foreach (var item in group)
        {
            var (topic, batch, _) = item;
            var edgeKey = EdgeSequenceTracker.KeyOf(topic);
            if (stats.Sequences.Check(edgeKey, batch.Seq) == SequenceVerdict.Duplicate || !inThisWrite.Add((edgeKey, batch.Seq)))
            {
                LogDuplicate(edgeKey, batch.Seq);
                repeated.Add(item);
                continue;
            }

            fresh.Add(item);
            foreach (var s in batch.Samples)
            {
                rows.Add(new(new SeriesKey(topic.Tenant, topic.Site, s.DeviceId, s.PointId), new StoredSample(s.TimestampUtcMs, s.Value, (byte)s.Quality)));
            }
        }

        // Stored first, then acknowledged, then shown: a batch the broker considers delivered is on disk, and nothing
        // appears live that the history would not have. A write that fails refuses every batch in it: none is lost,
        // each comes again.
        try
        {
            await store.AppendAsync(rows, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            foreach (var item in fresh)
            {
                stats.StoreFailed(item.Batch.Samples.Count);
                LogBatchFailed(ex, item.Topic.Tenant, item.Topic.Site, item.Batch.EdgeId, item.Batch.Seq, item.Batch.Samples.Count);
                item.Refuse?.Invoke($"the cloud could not store the batch: {ex.Message}");
            }

            foreach (var item in repeated)
            {
                item.Refuse?.Invoke("an earlier copy of this batch could not be stored");
            }

            return;
        }

        foreach (var item in fresh)
        {
            if (stats.Sequences.Record(EdgeSequenceTracker.KeyOf(item.Topic), item.Batch.Seq) is { } gap)
            {
                // A gap means data is missing (numbers an edge never used are announced and are no gap): an operator
                // must see it, not only a counter. A replay that fills it later is logged too.
                LogSequenceGap(item.Topic.Tenant, item.Topic.Site, item.Topic.Edge, gap.From, gap.To, gap.Count, stats.Sequences.Gaps);
            }
            else if (item.Batch.Replayed)
            {
                LogReplayedBatch(item.Topic.Tenant, item.Topic.Site, item.Topic.Edge, item.Batch.Seq);
            }

            stats.Accepted(item.Batch.Samples.Count);
            edges.TelemetryReceived(item.Topic);
            await AcknowledgeAsync(item, ct);
        }

        foreach (var item in repeated)
        {
            await AcknowledgeAsync(item, ct);
        }

        foreach (var item in fresh)
        {
            try
            {
                await PublishAndEvaluateAsync(item, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The batch is stored and acknowledged; only its live update or alarm evaluation is missing.
                LogEvaluationFailed(ex, item.Topic.Tenant, item.Topic.Site, item.Batch.EdgeId, item.Batch.Seq);
            }
        }
    }

    private async Task AcknowledgeAsync(AcceptedMessage item, CancellationToken ct)
    {
        try
        {
            await item.AcknowledgeAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The broker did not hear the PUBACK (the connection went away): it delivers the message again, and the
            // copy is skipped as a duplicate.
            LogAcknowledgeFailed(ex, item.Topic.Tenant, item.Topic.Site, item.Topic.Edge);
        }
    }

    private async Task PublishAndEvaluateAsync(AcceptedBatch item, CancellationToken ct)
    {
        var (topic, batch, _) = item;
        var liveValues = new List<LiveValueDto>(batch.Samples.Count);
        var forAlarms = new List<PointReading>(batch.Samples.Count);
        foreach (var s in batch.Samples)
        {
            var key = new SeriesKey(topic.Tenant, topic.Site, s.DeviceId, s.PointId);
            if (latest.Update(key, new StoredSample(s.TimestampUtcMs, s.Value, (byte)s.Quality)))
            {
                liveValues.Add(new LiveValueDto(topic.Tenant, topic.Site, s.DeviceId, s.PointId, s.Value, QualityName(s.Quality), s.TimestampUtcMs));
            }

            // Only values read just now drive alarms: a stale one is the last value re-sent marked old, and raising or
            // clearing on it would report the past as the present; lost communication has its own comm.* point.
            if (s.Value is { } v && s.Quality is SampleQuality.Good or SampleQuality.Uncertain)
            {
                forAlarms.Add(new(s.DeviceId, s.PointId, v, s.TimestampUtcMs));
            }
        }

        // Data from the edge is the surest sign that it is online: a broker may publish the last will of an earlier
        // connection after the new birth (EdgeRegistry), which must not leave the edge offline while it publishes.
        forAlarms.Add(new(topic.Edge, CommunicationPoint.EdgeOfflineId, 0, time.GetUtcNow().ToUnixTimeMilliseconds()));
        live.PublishValues(liveValues);
        await alarms.ProcessAsync(topic.Tenant, topic.Site, forAlarms, ct);
    }

    private async Task HandleEventAsync(AcceptedEvent item, CancellationToken ct)
    {
        var (topic, ev, lost, _) = item;

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
            await alarms.ProcessAsync(topic.Tenant, topic.Site, [new(ev.DeviceId!, CommunicationPoint.Id, lost, ev.TimestampUtcMs)], ct);
            _lastCommEventUtcMs[device] = ev.TimestampUtcMs;
        }

        await AcknowledgeAsync(item, ct);
    }

    private async Task HandleEdgeStateAsync(AcceptedEdgeState item, CancellationToken ct)
    {
        var (topic, online, arrivedUtcMs, _) = item;
        await alarms.ProcessAsync(topic.Tenant, topic.Site, [new(topic.Edge, CommunicationPoint.EdgeOfflineId, online ? 0 : 1, arrivedUtcMs)], ct);
        await AcknowledgeAsync(item, ct);
    }

    internal static string QualityName(SampleQuality q) => q switch
    {
        SampleQuality.Good => "good",
        SampleQuality.Uncertain => "uncertain",
        SampleQuality.Stale => "stale",
        SampleQuality.CommLost => "comm-lost",
        _ => "bad",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store batch {Seq} of {TenantId}/{SiteId}/{EdgeId} ({SampleCount} samples); refused, so it is delivered again")]
    private partial void LogBatchFailed(Exception ex, string tenantId, string siteId, string edgeId, long seq, int sampleCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored {Kind} of {TenantId}/{SiteId}/{DeviceId} at {TimestampUtcMs}: older than the device's last communication event at {LastUtcMs}")]
    private partial void LogEventOutOfOrder(string tenantId, string siteId, string deviceId, string kind, long timestampUtcMs, long lastUtcMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not handle a {MessageType} of {TenantId}/{SiteId}/{EdgeId}; refused, so it is delivered again")]
    private partial void LogMessageFailed(Exception ex, string tenantId, string siteId, string edgeId, string messageType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {Seq} of {TenantId}/{SiteId}/{EdgeId} is stored, but its live update or alarm evaluation failed")]
    private partial void LogEvaluationFailed(Exception ex, string tenantId, string siteId, string edgeId, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not acknowledge a message of {TenantId}/{SiteId}/{EdgeId} to the broker; it will come again and be skipped as a duplicate")]
    private partial void LogAcknowledgeFailed(Exception ex, string tenantId, string siteId, string edgeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data missing from {TenantId}/{SiteId}/{EdgeId}: batches {FromSeq}..{ToSeq} did not arrive ({MissingBatches} missing; {MissingTotal} missing from all edges); a replay from the edge's buffer fills them if it still has them")]
    private partial void LogSequenceGap(string tenantId, string siteId, string edgeId, long fromSeq, long toSeq, long missingBatches, long missingTotal);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored replayed batch {Seq} of {TenantId}/{SiteId}/{EdgeId}")]
    private partial void LogReplayedBatch(string tenantId, string siteId, string edgeId, long seq);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped duplicate batch {Seq} of {Edge}")]
    private partial void LogDuplicate(string edge, long seq);
}
