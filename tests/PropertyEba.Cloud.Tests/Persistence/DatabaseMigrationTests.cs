using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Localization;

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

    [Fact]
    public async Task Alarm_messages_and_ticket_titles_stored_as_one_string_still_show_after_the_upgrade()
    {
        await using (var old = await _store.NewContextAsync())
        {
            // The schema just before messages had ids, with rows as that version wrote them.
            var migrations = old.Database.GetMigrations().ToList();
            await old.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_LocalizedMessages", StringComparison.Ordinal)) - 1]);
            await old.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"Alarm\" (\"TenantId\", \"SiteId\", \"DeviceId\", \"PointId\", \"RuleId\", \"Severity\", \"State\", \"Message\", \"RaisedUtc\") " +
                "VALUES ('acme', 'harbour', 'pumps-1', 'comm.lost', 'device-comm-lost', 'Urgent', 'Active', '设备通讯中断 / Device communication lost', 0)");
            await old.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"Ticket\" (\"Number\", \"TenantId\", \"SiteId\", \"Title\", \"Priority\", \"Status\", \"CreatedUtc\", \"OnSiteDueUtc\") " +
                "VALUES ('WO-1', 'acme', 'harbour', '设备通讯中断 / Device communication lost — pumps-1', 'Urgent', 'Created', 0, 0)");
        }

        await _store.StartDatabaseAsync();

        await using var db = await _store.NewContextAsync();
        var alarm = await db.Set<Alarm>().SingleAsync();
        alarm.Message.ShouldBe(MessageCatalog.Legacy("设备通讯中断 / Device communication lost"));
        MessageCatalog.Render(alarm.Message, CultureInfo.GetCultureInfo("en")).ShouldBe("设备通讯中断 / Device communication lost");
        var ticket = await db.Set<Ticket>().SingleAsync();
        ticket.Title.ShouldBe(MessageCatalog.Legacy("设备通讯中断 / Device communication lost — pumps-1"));
        ticket.ToDto(DateTimeOffset.UnixEpoch).Title.ShouldBe("设备通讯中断 / Device communication lost — pumps-1");
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
