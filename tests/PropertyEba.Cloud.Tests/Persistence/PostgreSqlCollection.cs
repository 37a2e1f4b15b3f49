using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Persistence;

/// <summary>The PostgreSQL server of a test run: one for every class in <see cref="PostgreSqlCollection"/>, each test on a database of its own.</summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server has not started.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Classes that run against the shared PostgreSQL server (xunit starts it once, before the first of them).</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlFixture>
{
    public const string Name = "PostgreSQL";
}
