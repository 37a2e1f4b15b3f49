using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Persistence;

/// <summary>Where the relational store lives. Section <c>Persistence</c>.</summary>
public sealed class PersistenceOptions
{
    public const string SectionName = "Persistence";

    /// <summary>The zero-setup default: one file under <see cref="DataDirectory"/>.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A PostgreSQL server named by <see cref="ConnectionString"/>, for production.</summary>
    public const string PostgreSql = "postgresql";

    /// <summary>Which database holds the relational store: <c>sqlite</c> (default) or <c>postgresql</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Folder for every file the cloud keeps (SQLite database, telemetry, logs); relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// The database's connection string. For SQLite, empty means <c>{DataDirectory}/propertyeba.db</c>; for PostgreSQL
    /// it is required (<c>Host=db.example;Port=5432;Database=propertyeba;Username=eba;Password=...</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgreSql => string.Equals(Provider, PostgreSql, StringComparison.OrdinalIgnoreCase);

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

        var isSqlite = string.Equals(options.Provider, PersistenceOptions.Sqlite, StringComparison.OrdinalIgnoreCase);
        if (!isSqlite && !options.IsPostgreSql)
        {
            failures.Add(
                $"{PersistenceOptions.SectionName}:Provider '{options.Provider}' is not known; " +
                $"use '{PersistenceOptions.Sqlite}' (the default, a file under DataDirectory) or '{PersistenceOptions.PostgreSql}'.");
        }
        else if (options.IsPostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add(
                $"{PersistenceOptions.SectionName}:ConnectionString is empty, and {PersistenceOptions.SectionName}:Provider is '{PersistenceOptions.PostgreSql}'; " +
                "give the server's connection string (Host=...;Port=5432;Database=...;Username=...;Password=...).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
