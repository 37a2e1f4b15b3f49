namespace PropertyEba.Edge;

/// <summary>
/// Live counters of one <see cref="EdgeAgent"/>, safe to read from any thread (for health checks,
/// dashboards and tests). Counters only grow; they start at zero when the agent is created.
/// </summary>
public sealed class EdgeAgentStats
{
    private long _pollCycles;
    private long _samplesRead;
    private long _readErrors;
    private long _batchesPublished;
    private long _batchesBuffered;
    private long _batchesReplayed;
    private long _batchesDropped;
    private long _batchesExpired;
    private long _eventsPublished;
    private long _readingsDropped;
    private long _connectFailures;
    private int _connected;

    /// <summary>Poll cycles completed, over all devices.</summary>
    public long PollCycles => Interlocked.Read(ref _pollCycles);

    /// <summary>Samples produced with good quality.</summary>
    public long SamplesRead => Interlocked.Read(ref _samplesRead);

    /// <summary>Modbus reads that failed (timeout, connection, protocol error or exception response).</summary>
    public long ReadErrors => Interlocked.Read(ref _readErrors);

    /// <summary>Telemetry batches the broker acknowledged (live and replayed).</summary>
    public long BatchesPublished => Interlocked.Read(ref _batchesPublished);

    /// <summary>Telemetry batches written to the offline buffer.</summary>
    public long BatchesBuffered => Interlocked.Read(ref _batchesBuffered);

    /// <summary>Telemetry batches from the offline buffer the broker acknowledged (part of <see cref="BatchesPublished"/>).</summary>
    public long BatchesReplayed => Interlocked.Read(ref _batchesReplayed);

    /// <summary>Telemetry batches dropped because the offline buffer was full.</summary>
    public long BatchesDropped => Interlocked.Read(ref _batchesDropped);

    /// <summary>Telemetry batches dropped from the offline buffer because they were older than <c>Edge:BufferMaxAge</c>.</summary>
    public long BatchesExpired => Interlocked.Read(ref _batchesExpired);

    /// <summary>Events (device communication lost/restored, buffer overflow) the broker acknowledged.</summary>
    public long EventsPublished => Interlocked.Read(ref _eventsPublished);

    /// <summary>Device readings dropped between poller and uplink because the uplink fell behind (should stay 0).</summary>
    public long ReadingsDropped => Interlocked.Read(ref _readingsDropped);

    /// <summary>Failed attempts to connect to the broker.</summary>
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    /// <summary>Whether the agent is connected to the broker right now.</summary>
    public bool Connected => Volatile.Read(ref _connected) != 0;

    internal void AddPollCycle() => Interlocked.Increment(ref _pollCycles);

    internal void AddSamplesRead(int count) => Interlocked.Add(ref _samplesRead, count);

    internal void AddReadError() => Interlocked.Increment(ref _readErrors);

    internal void AddBatchPublished(bool replayed)
    {
        Interlocked.Increment(ref _batchesPublished);
        if (replayed)
        {
            Interlocked.Increment(ref _batchesReplayed);
        }
    }

    internal void AddBatchBuffered() => Interlocked.Increment(ref _batchesBuffered);

    internal void AddBatchesDropped(long count) => Interlocked.Add(ref _batchesDropped, count);

    internal void AddBatchesExpired(long count) => Interlocked.Add(ref _batchesExpired, count);

    internal void AddEventPublished() => Interlocked.Increment(ref _eventsPublished);

    internal void AddReadingDropped() => Interlocked.Increment(ref _readingsDropped);

    internal void AddConnectFailure() => Interlocked.Increment(ref _connectFailures);

    internal void SetConnected(bool connected) => Volatile.Write(ref _connected, connected ? 1 : 0);

    /// <inheritdoc />
    public override string ToString() =>
        $"PollCycles={PollCycles} SamplesRead={SamplesRead} ReadErrors={ReadErrors} BatchesPublished={BatchesPublished} " +
        $"BatchesBuffered={BatchesBuffered} BatchesReplayed={BatchesReplayed} BatchesDropped={BatchesDropped} BatchesExpired={BatchesExpired} " +
        $"EventsPublished={EventsPublished} ReadingsDropped={ReadingsDropped} Connected={Connected}";
}
