namespace PropertyEba.Testing.Load;

/// <summary>
/// A load of edges publishing telemetry as the v1 contract says (docs/mqtt-contract.md): N publishers, each its own
/// MQTT client and edge id, QoS 1, <c>TelemetryBatch</c>es with per-edge sequence numbers from 1, at most a window of
/// messages in flight each. It is honest about at-least-once, as an edge with a disk buffer is: a batch counts as
/// delivered only once its PUBACK is a success; a refusal (MQTT 5 reason code ≥ 0x80) or a lost connection (how a
/// 3.1.1 broker refuses) is counted with its reason and the batch is sent again, same seq and same bytes, after a
/// reconnect, until it is acknowledged. So <see cref="LoadCounters.SamplesAcknowledged"/> is exactly what the
/// receiving side must have stored.
/// </summary>
/// <example>
/// <code>
/// var load = new TelemetryLoadPublisher(new TelemetryLoadOptions
/// {
///     BrokerHost = "127.0.0.1", BrokerPort = port, EdgeIdPrefix = "reconcile-", Publishers = 2, BatchesPerPublisher = 500,
/// });
/// var report = await load.RunAsync(ct);
/// // compare report.Total.SamplesAcknowledged with the cloud's samplesAccepted
/// </code>
/// </example>
public sealed class TelemetryLoadPublisher
{
    private readonly TelemetryLoadOptions _options;
    private readonly EdgeLoadPublisher[] _publishers;
    private long _startTimestamp;
    private long _endTimestamp;

    /// <summary>Prepares the publishers; nothing connects before <see cref="RunAsync"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every mistake.</exception>
    public TelemetryLoadPublisher(TelemetryLoadOptions options)
    {
        options.Validate();
        _options = options;
        _publishers = new EdgeLoadPublisher[options.Publishers];
        for (var i = 0; i < _publishers.Length; i++)
        {
            _publishers[i] = new EdgeLoadPublisher(options, i);
        }
    }

    /// <summary>The topic tenant, site and edge ids the publishers use, in edge order.</summary>
    public IReadOnlyList<string> EdgeIds => _publishers.Select(p => p.EdgeId).ToArray();

    /// <summary>
    /// Runs every publisher until its production ends (duration or batch count) and everything it produced is
    /// acknowledged, or the drain timeout runs out. Cancelling stops at once; the report then counts what was
    /// acknowledged so far (<see cref="Snapshot"/> gives it).
    /// </summary>
    public async Task<TelemetryLoadReport> RunAsync(CancellationToken cancellationToken)
    {
        _startTimestamp = _options.Time.GetTimestamp();
        try
        {
            await Task.WhenAll(_publishers.Select(p => p.RunAsync(cancellationToken)));
        }
        finally
        {
            _endTimestamp = _options.Time.GetTimestamp();
        }

        return Snapshot();
    }

    /// <summary>The counters so far: safe to call from another thread while the load runs (for progress).</summary>
    public TelemetryLoadReport Snapshot()
    {
        var publishers = _publishers.Select(p => p.Report()).ToArray();
        var elapsed = _startTimestamp == 0
            ? TimeSpan.Zero
            : _options.Time.GetElapsedTime(_startTimestamp, _endTimestamp == 0 ? _options.Time.GetTimestamp() : _endTimestamp);
        return new TelemetryLoadReport(publishers, LoadCounters.Sum(publishers.Select(p => p.Counters)), elapsed, _options.OfferedSamplesPerSecond);
    }
}
