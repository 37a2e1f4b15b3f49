namespace PropertyEba.Cloud.Telemetry.InfluxDb;

/// <summary>Section <c>Telemetry:InfluxDb</c>, read when <c>Telemetry:Engine</c> is <c>influxdb</c>.</summary>
public sealed class InfluxDbOptions
{
    /// <summary>Base address of the v1 HTTP API, e.g. <c>http://127.0.0.1:8086</c> (InfluxDB 1.x, or 2.x/3.x v1 compatibility).</summary>
    public string Url { get; set; } = "";

    /// <summary>Database the samples go to; created at start-up when missing.</summary>
    public string Database { get; set; } = "propertyeba";

    /// <summary>Optional; sent as <c>u</c>/<c>p</c> (basic authentication) when set.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Optional retention policy to write to and read from; empty means the database's default. It must exist.</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>Points per write request; InfluxData recommends 5,000–10,000.</summary>
    public int BatchSize { get; set; } = 5_000;

    public const string AcknowledgeAfterInfluxDb = "influxdb";
    public const string AcknowledgeAfterBuffer = "buffer";

    /// <summary>
    /// When an append returns (and ingestion acknowledges MQTT): <c>influxdb</c> — once influxd has the samples (or,
    /// while it is unavailable, once they are in the outage buffer); <c>buffer</c> — once they are flushed to the
    /// buffer on disk, always, with influxd written behind, so the cloud's work and influxd's overlap. Queries then
    /// wait (up to <see cref="ReadYourWritesWait"/>) until what was appended before them is in influxd.
    /// </summary>
    public string AcknowledgeAfter { get; set; } = AcknowledgeAfterInfluxDb;

    public TimeSpan ReadYourWritesWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Write requests in flight at once when one append (ingestion hands over up to 20,000 samples) spans several batches.</summary>
    public int WriteConcurrency { get; set; } = 2;

    /// <summary>Attempts of one write or query (network errors and 5xx) before the samples go to the disk buffer.</summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>First retry delay; doubled per attempt, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Timeout of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Folder of the outage buffer; relative paths are under Persistence:DataDirectory.</summary>
    public string BufferDirectory { get; set; } = "influx-buffer";

    /// <summary>Cap of the outage buffer on disk. When full, appends wait up to <see cref="BufferFullWait"/>, then fail (and ingestion does not acknowledge).</summary>
    public long BufferMaxBytes { get; set; } = 1L << 30;

    public TimeSpan BufferFullWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest pause between attempts to drain the buffer while influxd is away.</summary>
    public TimeSpan DrainMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}
