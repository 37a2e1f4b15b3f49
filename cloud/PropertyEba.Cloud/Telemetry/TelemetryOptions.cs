using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Telemetry.InfluxDb;

namespace PropertyEba.Cloud.Telemetry;

/// <summary>Section <c>Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    public const string EmbeddedEngine = "embedded";
    public const string InfluxDbEngine = "influxdb";

    /// <summary><c>embedded</c> (default, no server) or <c>influxdb</c> (v1 HTTP API, <see cref="InfluxDb"/>).</summary>
    public string? Engine { get; set; }

    /// <summary>Deprecated name of <see cref="Engine"/>, still read when Engine is not set.</summary>
    public string? Store { get; set; }

    /// <summary>The engine in effect: Engine, else the deprecated Store, else embedded.</summary>
    public string EffectiveEngine => Engine ?? Store ?? EmbeddedEngine;

    /// <summary>Folder of the embedded store's files; relative paths are under Persistence:DataDirectory.</summary>
    public string Directory { get; set; } = "telemetry";

    /// <summary>
    /// File format of the embedded engine: <c>dayfiles</c> (the default: append-only day files, chosen by measurement in
    /// docs/adr/0012-embedded-engine-by-measurement.md) or <c>duckdb</c> (one columnar file; a folder of day files is migrated
    /// into it on first start, the day files kept aside).
    /// </summary>
    public string EmbeddedFormat { get; set; } = "dayfiles";

    /// <summary>DuckDB's memory limit in MB (it would otherwise take 80 % of the machine's RAM).</summary>
    public int EmbeddedMemoryLimitMb { get; set; } = 256;
    public InfluxDbOptions InfluxDb { get; set; } = new();
}

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        var section = TelemetryOptions.SectionName;
        if (options.Engine is not null && options.Store is not null && options.Engine != options.Store)
        {
            failures.Add($"{section}:Engine is '{options.Engine}' but the deprecated {section}:Store is '{options.Store}'; set only {section}:Engine.");
        }

        switch (options.EffectiveEngine)
        {
            case TelemetryOptions.EmbeddedEngine:
                break;
            case TelemetryOptions.InfluxDbEngine:
                ValidateInflux(options.InfluxDb, $"{section}:InfluxDb", failures);
                break;
            default:
                failures.Add($"{section}:Engine is '{options.EffectiveEngine}'; use '{TelemetryOptions.EmbeddedEngine}' or '{TelemetryOptions.InfluxDbEngine}'.");
                break;
        }

        if (options.EmbeddedFormat is not ("duckdb" or "dayfiles"))
        {
            failures.Add($"{TelemetryOptions.SectionName}:EmbeddedFormat is '{options.EmbeddedFormat}'; use 'duckdb' or 'dayfiles'.");
        }

        if (options.EmbeddedMemoryLimitMb is < 64 or > 65_536)
        {
            failures.Add($"{TelemetryOptions.SectionName}:EmbeddedMemoryLimitMb is {options.EmbeddedMemoryLimitMb}; allowed 64..65536.");
        }

        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add($"{section}:Directory is empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateInflux(InfluxDbOptions o, string section, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(o.Url))
        {
            failures.Add($"{section}:Url is empty; with {TelemetryOptions.SectionName}:Engine=influxdb it must be the v1 HTTP API's address, e.g. http://127.0.0.1:8086.");
        }
        else if (!Uri.TryCreate(o.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{section}:Url '{o.Url}' is not an absolute http:// or https:// address, e.g. http://127.0.0.1:8086.");
        }

        if (string.IsNullOrWhiteSpace(o.Database) || o.Database.AsSpan().IndexOfAny("\"\n\r") >= 0)
        {
            failures.Add($"{section}:Database '{o.Database}' is empty or contains a double quote or line break.");
        }

        if (o.RetentionPolicy is { Length: > 0 } rp && rp.AsSpan().IndexOfAny("\"\n\r") >= 0)
        {
            failures.Add($"{section}:RetentionPolicy '{rp}' contains a double quote or line break.");
        }

        if (string.IsNullOrEmpty(o.Username) != string.IsNullOrEmpty(o.Password))
        {
            failures.Add($"{section}:Username and {section}:Password must be set together (or neither, for an influxd without authentication).");
        }

        if (o.BatchSize is < 1 or > 100_000)
        {
            failures.Add($"{section}:BatchSize is {o.BatchSize}; allowed 1–100000 points per request.");
        }

        if (o.AcknowledgeAfter is not (InfluxDbOptions.AcknowledgeAfterInfluxDb or InfluxDbOptions.AcknowledgeAfterBuffer))
        {
            failures.Add($"{section}:AcknowledgeAfter is '{o.AcknowledgeAfter}'; use '{InfluxDbOptions.AcknowledgeAfterInfluxDb}' or '{InfluxDbOptions.AcknowledgeAfterBuffer}'.");
        }

        if (o.WriteConcurrency is < 1 or > 16)
        {
            failures.Add($"{section}:WriteConcurrency is {o.WriteConcurrency}; allowed 1–16 requests in flight.");
        }

        if (o.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add($"{section}:MaxRetryAttempts is {o.MaxRetryAttempts}; allowed 0–10.");
        }

        if (o.RetryDelay <= TimeSpan.Zero || o.RequestTimeout <= TimeSpan.Zero || o.BufferFullWait < TimeSpan.Zero || o.DrainMaxDelay <= TimeSpan.Zero)
        {
            failures.Add($"{section}: RetryDelay, RequestTimeout and DrainMaxDelay must be positive and BufferFullWait not negative.");
        }

        if (string.IsNullOrWhiteSpace(o.BufferDirectory))
        {
            failures.Add($"{section}:BufferDirectory is empty.");
        }

        if (o.BufferMaxBytes < 1 << 20)
        {
            failures.Add($"{section}:BufferMaxBytes is {o.BufferMaxBytes}; at least 1048576 (1 MiB).");
        }
    }
}
