using Microsoft.EntityFrameworkCore;

namespace PropertyEba.Cloud.Persistence;

/// <summary>Creates the database schema at start-up, before anything else touches the store.</summary>
internal sealed partial class DatabaseInitializer(IServiceScopeFactory scopes, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EbaDbContext>();
        var created = await db.Database.EnsureCreatedAsync(cancellationToken);
        LogReady(db.Database.GetDbConnection().DataSource, created);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Relational store ready at {DataSource} (created: {Created})")]
    private partial void LogReady(string dataSource, bool created);
}
