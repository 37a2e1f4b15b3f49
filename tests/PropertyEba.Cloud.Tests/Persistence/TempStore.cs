using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Tests.Persistence;

/// <summary>
/// The cloud's services over a real SQLite database in a temp folder, without the web host, the broker or the
/// demo estate; <paramref name="add"/> registers the services under test. Disposing deletes the folder.
/// </summary>
internal sealed class TempStore(Action<IServiceCollection, IConfiguration>? add = null) : IAsyncDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("propertyeba-store-").FullName;
    private ServiceProvider? _services;

    public ServiceProvider Services => _services ??= Build();

    /// <summary>Runs the start-up schema step, as the host does before anything touches the store.</summary>
    public Task StartDatabaseAsync() =>
        Services.GetServices<IHostedService>().OfType<DatabaseInitializer>().Single().StartAsync(CancellationToken.None);

    public Task<EbaDbContext> NewContextAsync() =>
        Services.GetRequiredService<IDbContextFactory<EbaDbContext>>().CreateDbContextAsync();

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Persistence:DataDirectory"] = _dataDirectory })
            .Build();
        var services = new ServiceCollection().AddLogging().AddPersistence(configuration);
        add?.Invoke(services, configuration);
        return services.BuildServiceProvider();
    }
}
