using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace PropertyEba.Cloud.Persistence;

/// <summary>
/// Brings the database schema up to this version at start-up, before anything else touches the store: applies the
/// migrations it lacks (those of its provider, in Persistence/Migrations/Sqlite or /PostgreSql, docs/adr/0007). A SQLite
/// database that earlier versions created without migrations is adopted first, and one that a newer version has
/// migrated is refused, so an upgrade keeps every row and a downgrade cannot silently run on a schema it does not know.
/// </summary>
internal sealed partial class DatabaseInitializer(IServiceScopeFactory scopes, ILogger<DatabaseInitializer> logger) : IHostedService
{
    // A table of the first schema; the versions before migrations created exactly that schema.
    private const string FirstSchemaTable = "AlarmRule";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EbaDbContext>();
        var connection = db.Database.GetDbConnection();
        // The file for SQLite; server and database for PostgreSQL (never the password, which only the connection string holds).
        var dataSource = db.Database.IsSqlite() ? connection.DataSource : $"{connection.DataSource}/{connection.Database}";

        if (db.Database.IsSqlite())
        {
            // Only SQLite had versions before migrations; a PostgreSQL store has been migrated from its first day.
            await AdoptDatabaseCreatedWithoutMigrationsAsync(db, dataSource, cancellationToken);
        }

        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var unknown = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database {dataSource} has been migrated by a newer version of PropertyEba ({string.Join(", ", unknown)}), which this version does not know. " +
                "Run the newer version, or restore a backup taken before the upgrade.");
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        // On PostgreSQL this also creates the database when the server has none of that name (given the right to).
        await db.Database.MigrateAsync(cancellationToken);

        if (db.Database.IsSqlite())
        {
            await UseWriteAheadLogAsync(db, cancellationToken);
        }

        LogReady(dataSource, pending.Count == 0 ? "none" : string.Join(", ", pending));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task UseWriteAheadLogAsync(EbaDbContext db, CancellationToken cancellationToken)
    {
        // Write-ahead logging (kept in the file, so once is enough): the alarm engine, the ticket service, the on-delay
        // timers and the dashboard's reads use several connections at once. With the default rollback journal a reader
        // holds off a writer's commit and SQLite can answer "database is locked" at once, without waiting (a lock
        // upgrade it cannot resolve) — under load that lost an alarm's clearing. With WAL readers never block the
        // writer, and writers wait for each other through the busy timeout.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    // Versions before migrations called EnsureCreated: their database has the first schema and no history table.
    // Recording the first migration as applied lets the later ones run on it instead of failing on existing tables.
    private async Task AdoptDatabaseCreatedWithoutMigrationsAsync(EbaDbContext db, string dataSource, CancellationToken cancellationToken)
    {
        var history = db.GetService<IHistoryRepository>();
        if (await history.ExistsAsync(cancellationToken) || !await TableExistsAsync(db, FirstSchemaTable, cancellationToken))
        {
            return;
        }

        var first = db.Database.GetMigrations().First();
        var efVersion = typeof(DbContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        // One transaction (SQLite's DDL is transactional): a crash between the two must not leave an empty history,
        // which would make the next start run the first migration onto the tables that are there.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.Database.ExecuteSqlRawAsync(history.GetCreateScript(), cancellationToken);
            await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(first, efVersion)), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        LogAdopted(dataSource, first);
    }

    private static async Task<bool> TableExistsAsync(EbaDbContext db, string table, CancellationToken cancellationToken) =>
        await db.Database
            .SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {table}")
            .SingleAsync(cancellationToken) > 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Relational store ready at {DataSource} (migrations applied now: {Applied})")]
    private partial void LogReady(string dataSource, string applied);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relational store {DataSource} was created before schema migrations; recorded it as at {Migration}")]
    private partial void LogAdopted(string dataSource, string migration);
}
