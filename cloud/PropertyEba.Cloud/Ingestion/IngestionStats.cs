using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>Counters of the ingestion path, exposed on /api/ingestion/stats and in the logs.</summary>
public sealed class IngestionStats
{
    private long _messagesReceived;
    private long _batchesAccepted;
    private long _samplesAccepted;
    private long _payloadsRejected;
    private long _samplesDropped;
    private long _eventsFailed;
    private long _eventsOutOfOrder;
    private volatile string? _lastRejection;

    public long PayloadsRejected => Interlocked.Read(ref _payloadsRejected);

    public long BatchesAccepted => Interlocked.Read(ref _batchesAccepted);

    public EdgeSequenceTracker Sequences { get; } = new();

    public void MessageReceived() => Interlocked.Increment(ref _messagesReceived);

    public void Accepted(int samples)
    {
        Interlocked.Increment(ref _batchesAccepted);
        Interlocked.Add(ref _samplesAccepted, samples);
    }

    public void Rejected(string reason)
    {
        Interlocked.Increment(ref _payloadsRejected);
        _lastRejection = reason;
    }

    /// <summary>A batch that could not be stored; it stays unacknowledged, so the broker redelivers it.</summary>
    public void StoreFailed(int samples) => Interlocked.Add(ref _samplesDropped, samples);

    /// <summary>An edge event the alarm engine could not take; it stays unacknowledged, so the broker redelivers it.</summary>
    public void EventFailed() => Interlocked.Increment(ref _eventsFailed);

    /// <summary>A communication event older than the device's last one, ignored.</summary>
    public void EventOutOfOrder() => Interlocked.Increment(ref _eventsOutOfOrder);

    public IngestionStatsDto Snapshot() => new(
        Interlocked.Read(ref _messagesReceived), Interlocked.Read(ref _batchesAccepted), Interlocked.Read(ref _samplesAccepted),
        Interlocked.Read(ref _payloadsRejected), Sequences.Duplicates, Sequences.Gaps, Interlocked.Read(ref _samplesDropped), _lastRejection,
        Interlocked.Read(ref _eventsFailed), Interlocked.Read(ref _eventsOutOfOrder));
}
