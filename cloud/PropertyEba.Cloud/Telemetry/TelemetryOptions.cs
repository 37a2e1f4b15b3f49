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

        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add($"{TelemetryOptions.SectionName}:Directory is empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
