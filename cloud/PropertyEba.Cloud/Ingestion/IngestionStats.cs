using System.Diagnostics.Metrics;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// Counters of the ingestion path, exposed on /api/ingestion/stats, in the logs, and as the meter
/// <see cref="MeterName"/> (System.Diagnostics.Metrics, for OpenTelemetry export): operators alert on gaps, refusals
/// and drops. Cumulative from the start of the process; <see cref="Restore"/> carries them over a restart.
/// </summary>
public sealed class IngestionStats
{
    /// <summary>The name of the meter the counters are published under.</summary>
    public const string MeterName = "PropertyEba.Ingestion";

    private long _messagesReceived;
    private long _batchesAccepted;
    private long _samplesAccepted;
    private long _payloadsRejected;
    private long _samplesDropped;
    private long _messagesRefused;
    private long _samplesRefused;
    private long _backPressureWaits;
    private long _eventsFailed;
    private long _eventsOutOfOrder;
    private long _gapsRestored;
    private long _duplicatesRestored;
    private long _publishesDenied;
    private volatile string? _lastRejection;
    private volatile string? _lastDenial;
    private volatile string? _lastRefusal;

    public IngestionStats(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("propertyeba.ingestion.messages.received", () => Interlocked.Read(ref _messagesReceived), "{message}", "MQTT messages the cloud received on the channels it reads");
        meter.CreateObservableCounter("propertyeba.ingestion.samples.accepted", () => Interlocked.Read(ref _samplesAccepted), "{sample}", "Samples stored");
        meter.CreateObservableCounter("propertyeba.ingestion.batches.accepted", () => Interlocked.Read(ref _batchesAccepted), "{batch}", "Telemetry batches stored");
        meter.CreateObservableCounter("propertyeba.ingestion.payloads.rejected", () => Interlocked.Read(ref _payloadsRejected), "{message}", "Invalid messages rejected (acknowledged, not stored)");
        meter.CreateObservableCounter("propertyeba.ingestion.messages.refused", () => Interlocked.Read(ref _messagesRefused), "{message}", "Valid messages refused for now; the publisher or broker sends them again");
        meter.CreateObservableCounter("propertyeba.ingestion.backpressure.waits", () => Interlocked.Read(ref _backPressureWaits), "{wait}", "Times a message waited for room in the full ingestion queue");
        meter.CreateObservableCounter("propertyeba.ingestion.sequence.gaps", () => SaturatingAdd(Sequences.Gaps, Interlocked.Read(ref _gapsRestored)), "{batch}", "Batch sequence numbers missing from an edge: data that is not here");
        meter.CreateObservableCounter("propertyeba.ingestion.batches.duplicate", () => SaturatingAdd(Sequences.Duplicates, Interlocked.Read(ref _duplicatesRestored)), "{batch}", "Batches received again and skipped");
        meter.CreateObservableCounter("propertyeba.ingestion.publishes.denied", () => Interlocked.Read(ref _publishesDenied), "{message}", "Publishes the broker refused: another edge's topic, or an edge not provisioned");
        meter.CreateObservableCounter("propertyeba.ingestion.samples.dropped", () => Interlocked.Read(ref _samplesDropped), "{sample}", "Samples accepted and then lost; stays 0 unless something is badly wrong");
    }

    public long PayloadsRejected => Interlocked.Read(ref _payloadsRejected);

    public long BatchesAccepted => Interlocked.Read(ref _batchesAccepted);

    public long MessagesRefused => Interlocked.Read(ref _messagesRefused);

    public long PublishesDenied => Interlocked.Read(ref _publishesDenied);

    /// <summary>Per edge, which batches arrived; only the ingestion worker touches it.</summary>
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

    /// <summary>A valid message that could not be handled now; its publisher (or the broker) delivers it again.</summary>
    public void Refused(string topic, string reason)
    {
        Interlocked.Increment(ref _messagesRefused);
        _lastRefusal = $"{topic}: {reason}";
    }

    /// <summary>A publish the broker refused because the client may not publish there; dropped, never stored.</summary>
    public void PublishDenied(string clientId, string topic, string reason)
    {
        Interlocked.Increment(ref _publishesDenied);
        _lastDenial = $"{clientId} on {topic}: {reason}";
    }

    /// <summary>The samples of a batch the worker could not store; the batch is refused, not lost.</summary>
    public void StoreFailed(int samples) => Interlocked.Add(ref _samplesRefused, samples);

    /// <summary>Samples that were accepted and then lost. Nothing in the ingestion path does this by design.</summary>
    public void Dropped(int samples) => Interlocked.Add(ref _samplesDropped, samples);

    /// <summary>A message found the queue full and waited for room.</summary>
    public void BackPressureWait() => Interlocked.Increment(ref _backPressureWaits);

    /// <summary>An edge event the alarm engine could not take; it is refused, so it is delivered again.</summary>
    public void EventFailed() => Interlocked.Increment(ref _eventsFailed);

    /// <summary>A communication event older than the device's last one, ignored.</summary>
    public void EventOutOfOrder() => Interlocked.Increment(ref _eventsOutOfOrder);

    /// <summary>Adds the counts saved by an earlier run of the service (<see cref="IngestionCounterFile"/>).</summary>
    public void Restore(IngestionStatsDto saved)
    {
        Interlocked.Add(ref _messagesReceived, saved.MessagesReceived);
        Interlocked.Add(ref _batchesAccepted, saved.BatchesAccepted);
        Interlocked.Add(ref _samplesAccepted, saved.SamplesAccepted);
        Interlocked.Add(ref _payloadsRejected, saved.PayloadsRejected);
        Interlocked.Exchange(ref _duplicatesRestored, SaturatingAdd(Interlocked.Read(ref _duplicatesRestored), Math.Max(0, saved.DuplicateBatches)));
        Interlocked.Exchange(ref _gapsRestored, SaturatingAdd(Interlocked.Read(ref _gapsRestored), Math.Max(0, saved.SequenceGaps)));
        Interlocked.Add(ref _samplesDropped, saved.SamplesDropped);
        Interlocked.Add(ref _eventsFailed, saved.EventsFailed);
        Interlocked.Add(ref _eventsOutOfOrder, saved.EventsOutOfOrder);
        Interlocked.Add(ref _messagesRefused, saved.MessagesRefused);
        Interlocked.Add(ref _samplesRefused, saved.SamplesRefused);
        Interlocked.Add(ref _backPressureWaits, saved.BackPressureWaits);
        Interlocked.Add(ref _publishesDenied, saved.PublishesDenied);
        _lastRejection ??= saved.LastRejection;
        _lastDenial ??= saved.LastDenial;
        _lastRefusal ??= saved.LastRefusal;
    }

    public IngestionStatsDto Snapshot() => new(
        Interlocked.Read(ref _messagesReceived), Interlocked.Read(ref _batchesAccepted), Interlocked.Read(ref _samplesAccepted),
        Interlocked.Read(ref _payloadsRejected), SaturatingAdd(Sequences.Duplicates, Interlocked.Read(ref _duplicatesRestored)),
        SaturatingAdd(Sequences.Gaps, Interlocked.Read(ref _gapsRestored)), Interlocked.Read(ref _samplesDropped), _lastRejection,
        Interlocked.Read(ref _eventsFailed), Interlocked.Read(ref _eventsOutOfOrder))
    {
        MessagesRefused = Interlocked.Read(ref _messagesRefused),
        SamplesRefused = Interlocked.Read(ref _samplesRefused),
        LastRefusal = _lastRefusal,
        BackPressureWaits = Interlocked.Read(ref _backPressureWaits),
        PublishesDenied = Interlocked.Read(ref _publishesDenied),
        LastDenial = _lastDenial,
    };

    // The tracker's counts saturate at long.MaxValue (a seq of 2^63−1 jumps over nearly every number); adding the
    // counts of an earlier run must saturate too, or the sum wraps to a negative count.
    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
