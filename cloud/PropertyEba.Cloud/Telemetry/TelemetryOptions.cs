using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Telemetry;

/// <summary>Section <c>Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Only <c>embedded</c> in this version; <c>influxdb</c> is planned (docs/adr/0002).</summary>
    public string Store { get; set; } = "embedded";

    /// <summary>Folder of the embedded store's files; relative paths are under Persistence:DataDirectory.</summary>
    public string Directory { get; set; } = "telemetry";

    /// <summary>
    /// File format of the embedded engine: <c>dayfiles</c> (the default: append-only day files, chosen by measurement in
    /// docs/adr/0011-embedded-engine-tquery.md) or <c>duckdb</c> (one columnar file; a folder of day files is migrated
    /// into it on first start, the day files kept aside).
    /// </summary>
    public string EmbeddedFormat { get; set; } = "dayfiles";

    /// <summary>DuckDB's memory limit in MB (it would otherwise take 80 % of the machine's RAM).</summary>
    public int EmbeddedMemoryLimitMb { get; set; } = 256;
}

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (options.Store != "embedded")
        {
            failures.Add($"{TelemetryOptions.SectionName}:Store is '{options.Store}'; this version supports 'embedded'.");
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
            failures.Add($"{TelemetryOptions.SectionName}:Directory is empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
