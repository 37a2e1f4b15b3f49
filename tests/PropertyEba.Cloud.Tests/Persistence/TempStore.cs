using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Persistence;

/// <summary>
/// The cloud's services over a real database without the web host, the broker or the demo estate: SQLite in a temp
/// folder, or, given a <paramref name="postgres"/> server, a new database of its own there. <paramref name="add"/>
/// registers the services under test. Disposing deletes the folder and the database.
/// </summary>
internal sealed class TempStore(Action<IServiceCollection, IConfiguration>? add = null, PostgresServer? postgres = null) : IAsyncDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("propertyeba-store-").FullName;
    private readonly string? _postgresDatabase = postgres is null ? null : PostgresServer.NewDatabaseName("store");
    private ServiceProvider? _services;

    public ServiceProvider Services => _services ??= Build();

    public bool IsPostgreSql => postgres is not null;

    /// <summary>The settings this store runs on (a StandaloneCloud given them runs on the same database).</summary>
    public Dictionary<string, string?> Settings =>
        postgres is null
            ? new() { ["Persistence:DataDirectory"] = _dataDirectory }
            : new()
            {
                ["Persistence:DataDirectory"] = _dataDirectory,
                ["Persistence:Provider"] = PersistenceOptions.PostgreSql,
                ["Persistence:ConnectionString"] = postgres.ConnectionString(_postgresDatabase!),
            };

    /// <summary>Runs the start-up schema step, as the host does before anything touches the store.</summary>
    public Task StartDatabaseAsync() =>
        Services.GetServices<IHostedService>().OfType<DatabaseInitializer>().Single().StartAsync(CancellationToken.None);

    /// <summary>
    /// Stops the services (as a restart of the service does: everything in memory is gone) and builds them again on the
    /// same database.
    /// </summary>
    public async Task RestartAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
            _services = null;
        }
    }

    public Task<EbaDbContext> NewContextAsync() =>
        Services.GetRequiredService<IDbContextFactory<EbaDbContext>>().CreateDbContextAsync();

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            if (IsPostgreSql)
            {
                // One database per test: the server lives for the whole run, so it must not fill up.
                await using var db = await NewContextAsync();
                await db.Database.EnsureDeletedAsync();
            }

            await _services.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var services = new ServiceCollection().AddLogging().AddPersistence(configuration);
        add?.Invoke(services, configuration);
        return services.BuildServiceProvider();
    }
}
