using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PropertyEba.Cloud.Alarms;

namespace PropertyEba.Cloud.Tests.Persistence;

/// <summary>The SQLite schema at start-up: created by migrations, upgraded in place, never run by a version that does not know it.</summary>
public sealed class DatabaseMigrationTests : IAsyncDisposable
{
    private readonly TempStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task Model_has_no_change_that_lacks_a_migration()
    {
        await using var db = await _store.NewContextAsync();

        db.Database.HasPendingModelChanges().ShouldBeFalse(
            "the entities changed without a migration: run `dotnet tool restore` and " +
            "`dotnet ef migrations add <Name> --project cloud/PropertyEba.Cloud --output-dir Persistence/Migrations --namespace PropertyEba.Cloud.Persistence.Migrations`");
    }

    [Fact]
    public async Task New_database_gets_every_migration()
    {
        await _store.StartDatabaseAsync();

        await using var db = await _store.NewContextAsync();
        (await db.Database.GetAppliedMigrationsAsync()).ShouldBe(db.Database.GetMigrations());
        (await db.Set<AlarmRule>().CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Database_created_before_migrations_is_adopted_with_its_rows_and_a_second_start_changes_nothing()
    {
        await using (var old = await _store.NewContextAsync())
        {
            // What versions before migrations created with EnsureCreated: the first schema, and no history.
            var first = old.Database.GetMigrations().First();
            await old.GetService<IMigrator>().MigrateAsync(first);
            await old.Database.ExecuteSqlRawAsync("DROP TABLE \"__EFMigrationsHistory\"");
            old.Add(Rule("pump-trip"));
            await old.SaveChangesAsync();
        }

        await _store.StartDatabaseAsync();
        await _store.StartDatabaseAsync();

        await using var db = await _store.NewContextAsync();
        (await db.Database.GetAppliedMigrationsAsync()).ShouldBe(db.Database.GetMigrations());
        (await db.Set<AlarmRule>().SingleAsync()).RuleId.ShouldBe("pump-trip");
    }

    [Fact]
    public async Task Database_migrated_by_a_newer_version_is_refused_naming_the_unknown_migration()
    {
        await _store.StartDatabaseAsync();
        await using (var db = await _store.NewContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('29990101000000_FromTheFuture', '99.0.0')");
        }

        var error = await Should.ThrowAsync<InvalidOperationException>(_store.StartDatabaseAsync);

        error.Message.ShouldContain("29990101000000_FromTheFuture");
        error.Message.ShouldContain("newer version");
    }

    private static AlarmRule Rule(string ruleId) => new()
    {
        TenantId = "acme",
        RuleId = ruleId,
        Name = "Pump trip",
        PointId = "pump1_fault",
        Condition = AlarmCondition.StateEquals,
        Threshold = 1,
    };
}
