using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Persistence;

/// <summary>Where the relational store lives. Section <c>Persistence</c>.</summary>
public sealed class PersistenceOptions
{
    public const string SectionName = "Persistence";

    /// <summary>Folder for every file the cloud keeps (SQLite database, telemetry, logs); relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>SQLite connection string; empty means <c>{DataDirectory}/propertyeba.db</c>.</summary>
    public string? ConnectionString { get; set; }

    public string ResolveConnectionString() =>
        string.IsNullOrWhiteSpace(ConnectionString)
            ? $"Data Source={Path.Combine(Path.GetFullPath(DataDirectory), "propertyeba.db")}"
            : ConnectionString;
}

internal sealed class PersistenceOptionsValidator : IValidateOptions<PersistenceOptions>
{
    public ValidateOptionsResult Validate(string? name, PersistenceOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add($"{PersistenceOptions.SectionName}:DataDirectory is empty; give a folder the service may write to.");
        }
        else if (options.DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"{PersistenceOptions.SectionName}:DataDirectory '{options.DataDirectory}' is not a valid path.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
