using MQTTnet.Formatter;

namespace PropertyEba.Testing.Load;

/// <summary>
/// What a <see cref="TelemetryLoadPublisher"/> sends: how many edges, how fast, for how long, and in which shape.
/// The defaults are the load of the ingestion benchmark (docs/benchmarks.md): MQTT 3.1.1, QoS 1, batches of
/// 100 samples over 4,000 series, 100 messages in flight per edge, as fast as the broker acknowledges.
/// </summary>
public sealed record TelemetryLoadOptions
{
    /// <summary>The broker's host (loopback in tests and benchmarks).</summary>
    public required string BrokerHost { get; init; }

    /// <summary>The broker's TCP port.</summary>
    public required int BrokerPort { get; init; }

    /// <summary>Tenant segment of every topic.</summary>
    public string TenantId { get; init; } = "load";

    /// <summary>Site segment of every topic.</summary>
    public string SiteId { get; init; } = "load-site";

    /// <summary>
    /// Edge ids are this prefix followed by 1..<see cref="Publishers"/> (<c>load-1</c>, <c>load-2</c>...). Tests that
    /// share one cloud give each run its own prefix, since the cloud keeps every edge's sequence numbers.
    /// </summary>
    public string EdgeIdPrefix { get; init; } = "load-";

    /// <summary>Number of edges, each its own MQTT client and connection.</summary>
    public int Publishers { get; init; } = 1;

    /// <summary>MQTT 3.1.1 (the default, the protocol that can only refuse by closing the connection) or 5.0.</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V311;

    /// <summary>Samples per <c>TelemetryBatch</c> (the contract allows 1..5,000).</summary>
    public int SamplesPerBatch { get; init; } = 100;

    /// <summary>Series (device × point) over all publishers; each publisher writes its own share of them.</summary>
    public int Series { get; init; } = 4_000;

    /// <summary>Points per device: series 0..19 are the points p00..p19 of device dev-0000, and so on.</summary>
    public int PointsPerDevice { get; init; } = 20;

    /// <summary>
    /// Messages each publisher keeps unacknowledged at most. With MQTT 5 the broker's Receive Maximum lowers it,
    /// as the edge agent does.
    /// </summary>
    public int MaxInFlight { get; init; } = 100;

    /// <summary>Samples per second offered by all publishers together, paced evenly; null sends as fast as acknowledged.</summary>
    public double? OfferedSamplesPerSecond { get; init; }

    /// <summary>How long new batches are produced. At least one of this and <see cref="BatchesPerPublisher"/> is required.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Stop producing after this many batches per publisher (a fixed amount for a reconciliation test).</summary>
    public long? BatchesPerPublisher { get; init; }

    /// <summary>The first sequence number of every edge; the contract starts a new edge at 1.</summary>
    public long FirstSequence { get; init; } = 1;

    /// <summary>Credentials, when the broker requires them.</summary>
    public string? Username { get; init; }

    /// <summary>Password that goes with <see cref="Username"/>.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// Per edge id, the secret of a provisioned edge (a broker that authenticates each edge): the publisher then connects
    /// with <see cref="ClientIdOf"/> as client id and user name and this password, instead of <see cref="Username"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? EdgePasswords { get; init; }

    /// <summary>The client id (and, with <see cref="EdgePasswords"/>, the user name) of an edge: <c>eba-{tenant}-{site}-{edge}</c>.</summary>
    public string ClientIdOf(string edgeId) => $"eba-{TenantId}-{SiteId}-{edgeId}";

    /// <summary>How long a publish may wait for its PUBACK (and a connect for its CONNACK) before the connection is given up.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause before reconnecting after a refusal or a lost connection.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// After production stops, how long a publisher goes on re-sending what is not yet acknowledged. What is still
    /// unacknowledged then is reported in <see cref="LoadCounters.BatchesUnacknowledged"/>, never silently dropped.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Clock for pacing and elapsed times.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The edge id of publisher <paramref name="index"/> (0-based).</summary>
    public string EdgeId(int index) => $"{EdgeIdPrefix}{index + 1}";

    /// <summary>Throws an <see cref="ArgumentException"/> that lists every invalid setting.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (Publishers < 1)
        {
            errors.Add($"{nameof(Publishers)} is {Publishers}; at least 1 is needed.");
        }

        if (SamplesPerBatch is < 1 or > 5_000)
        {
            errors.Add($"{nameof(SamplesPerBatch)} is {SamplesPerBatch}; the contract allows 1..5,000.");
        }

        if (Series < Publishers)
        {
            errors.Add($"{nameof(Series)} is {Series}; each of the {Publishers} publishers needs at least one series.");
        }

        if (PointsPerDevice < 1)
        {
            errors.Add($"{nameof(PointsPerDevice)} is {PointsPerDevice}; at least 1 is needed.");
        }

        if (MaxInFlight is < 1 or > 65_535)
        {
            errors.Add($"{nameof(MaxInFlight)} is {MaxInFlight}; MQTT allows 1..65,535 unacknowledged messages.");
        }

        if (OfferedSamplesPerSecond is <= 0 or double.NaN or double.PositiveInfinity)
        {
            errors.Add($"{nameof(OfferedSamplesPerSecond)} is {OfferedSamplesPerSecond}; a positive rate, or null for as fast as acknowledged.");
        }

        if (Duration is null && BatchesPerPublisher is null)
        {
            errors.Add($"Neither {nameof(Duration)} nor {nameof(BatchesPerPublisher)} is set; the load would never end.");
        }

        if (Duration is { } d && d <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(Duration)} is {d}; it must be positive.");
        }

        if (BatchesPerPublisher is < 1)
        {
            errors.Add($"{nameof(BatchesPerPublisher)} is {BatchesPerPublisher}; at least 1.");
        }

        if (FirstSequence < 0)
        {
            errors.Add($"{nameof(FirstSequence)} is {FirstSequence}; the contract's seq is ≥ 0.");
        }

        if (OperationTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(OperationTimeout)} is {OperationTimeout}; it must be positive.");
        }

        foreach (var (name, id) in new[] { (nameof(TenantId), TenantId), (nameof(SiteId), SiteId), (nameof(EdgeIdPrefix), EdgeId(Publishers - 1)) })
        {
            if (!Contracts.Mqtt.MqttTopics.IsId(id))
            {
                errors.Add($"{name} gives the id '{id}'; ids are 1..64 of A-Z a-z 0-9 - _ (docs/mqtt-contract.md).");
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid telemetry load: " + string.Join(" ", errors));
        }
    }
}
