using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Localization;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Persistence;

/// <summary>
/// The schema at start-up, on each provider: created by that provider's migrations, upgraded in place, never run by a
/// version that does not know it.
/// </summary>
public abstract class DatabaseMigrationTests : IAsyncDisposable
{
    private const string AddMigration = "cloud/PropertyEba.Cloud/Persistence/add-migration.sh <Name>";

    private DatabaseMigrationTests(PostgresServer? postgres) => Store = new TempStore(postgres: postgres);

    private protected TempStore Store { get; }

    public ValueTask DisposeAsync() => Store.DisposeAsync();

    [Fact]
    public async Task Model_has_no_change_that_lacks_a_migration()
    {
        await using var db = await Store.NewContextAsync();

        db.Database.HasPendingModelChanges().ShouldBeFalse(
            $"the entities changed without a {db.Database.ProviderName} migration: run `{AddMigration}`, which adds one for both providers");
    }

    [Fact]
    public async Task New_database_gets_every_migration()
    {
        await Store.StartDatabaseAsync();

        await using var db = await Store.NewContextAsync();
        (await db.Database.GetAppliedMigrationsAsync()).ShouldBe(db.Database.GetMigrations());
        (await db.Set<AlarmRule>().CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_second_start_changes_nothing_and_keeps_the_rows()
    {
        await Store.StartDatabaseAsync();
        await using (var db = await Store.NewContextAsync())
        {
            db.Add(Rule("pump-trip"));
            await db.SaveChangesAsync();
        }

        await Store.StartDatabaseAsync();

        await using var again = await Store.NewContextAsync();
        (await again.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
        (await again.Set<AlarmRule>().SingleAsync()).RuleId.ShouldBe("pump-trip");
    }

    [Fact]
    public async Task Database_migrated_by_a_newer_version_is_refused_naming_the_unknown_migration()
    {
        await Store.StartDatabaseAsync();
        await using (var db = await Store.NewContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('29990101000000_FromTheFuture', '99.0.0')");
        }

        var error = await Should.ThrowAsync<InvalidOperationException>(Store.StartDatabaseAsync);

        error.Message.ShouldContain("29990101000000_FromTheFuture");
        error.Message.ShouldContain("newer version");
    }

    // A rule in the columns of the first schema: the current model has columns that schema lacks.
    private static Task InsertFirstSchemaRuleAsync(EbaDbContext db, string ruleId) => db.Database.ExecuteSqlAsync(
        $"""INSERT INTO "AlarmRule" ("TenantId", "RuleId", "Name", "PointId", "Condition", "Threshold", "Deadband", "OnDelaySeconds", "Severity", "OpensTicket", "Enabled") VALUES ('acme', {ruleId}, 'Pump trip', 'pump1_fault', 'StateEquals', 1, 0, 0, 'Urgent', {true}, {true})""");

    private static AlarmRule Rule(string ruleId) => new()
    {
        TenantId = "acme",
        RuleId = ruleId,
        Name = "Pump trip",
        PointId = "pump1_fault",
        Condition = AlarmCondition.StateEquals,
        Threshold = 1,
    };

    public sealed class OnSqlite() : DatabaseMigrationTests(postgres: null)
    {
        [Fact]
        public async Task Alarm_messages_and_ticket_titlesStored_as_one_string_still_show_after_the_upgrade()
        {
            await using (var old = await Store.NewContextAsync())
            {
                // The schema just before messages had ids (SQLite only: PostgreSQL has no store from before them), with rows as that version wrote them.
                var migrations = old.Database.GetMigrations().ToList();
                await old.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_LocalizedMessages", StringComparison.Ordinal)) - 1]);
                await old.Database.ExecuteSqlRawAsync(
                    "INSERT INTO \"Alarm\" (\"TenantId\", \"SiteId\", \"DeviceId\", \"PointId\", \"RuleId\", \"Severity\", \"State\", \"Message\", \"RaisedUtc\") " +
                    "VALUES ('acme', 'harbour', 'pumps-1', 'comm.lost', 'device-comm-lost', 'Urgent', 'Active', '设备通讯中断 / Device communication lost', 0)");
                await old.Database.ExecuteSqlRawAsync(
                    "INSERT INTO \"Ticket\" (\"Number\", \"TenantId\", \"SiteId\", \"Title\", \"Priority\", \"Status\", \"CreatedUtc\", \"OnSiteDueUtc\") " +
                    "VALUES ('WO-1', 'acme', 'harbour', '设备通讯中断 / Device communication lost — pumps-1', 'Urgent', 'Created', 0, 0)");
            }

            await Store.StartDatabaseAsync();

            await using var db = await Store.NewContextAsync();
            var alarm = await db.Set<Alarm>().SingleAsync();
            alarm.Message.ShouldBe(MessageCatalog.Legacy("设备通讯中断 / Device communication lost"));
            MessageCatalog.Render(alarm.Message, CultureInfo.GetCultureInfo("en")).ShouldBe("设备通讯中断 / Device communication lost");
            var ticket = await db.Set<Ticket>().SingleAsync();
            ticket.Title.ShouldBe(MessageCatalog.Legacy("设备通讯中断 / Device communication lost — pumps-1"));
            ticket.ToDto(DateTimeOffset.UnixEpoch).Title.ShouldBe("设备通讯中断 / Device communication lost — pumps-1");
        }

        [Fact]
        public async Task Runs_on_the_sqlite_context_in_write_ahead_log_mode()
        {
            await Store.StartDatabaseAsync();

            await using var db = await Store.NewContextAsync();
            db.ShouldBeOfType<SqliteEbaDbContext>();
            (await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync()).ShouldBe(["wal"]);
        }

        [Fact]
        public async Task Keeps_the_migration_ids_that_existing_data_folders_have_recorded()
        {
            await using var db = await Store.NewContextAsync();

            // The ids in __EFMigrationsHistory of every SQLite store so far: moving the files (to Migrations/Sqlite) or
            // renaming the context must not change them, or an upgrade would run InitialCreate onto existing tables.
            db.Database.GetMigrations().Take(2).ShouldBe(["20261124140521_InitialCreate", "20261203204822_SignInRolesAndAudit"]);
        }

        [Fact]
        public async Task Database_at_an_earlier_migration_is_upgraded_with_its_rows()
        {
            await using (var old = await Store.NewContextAsync())
            {
                // A data folder of the previous version: migrated to its last migration, with a row.
                await old.GetService<IMigrator>().MigrateAsync("20261124140521_InitialCreate");
                await InsertFirstSchemaRuleAsync(old, "pump-trip");
            }

            await Store.StartDatabaseAsync();

            await using var db = await Store.NewContextAsync();
            (await db.Database.GetAppliedMigrationsAsync()).ShouldBe(db.Database.GetMigrations());
            (await db.Set<AlarmRule>().SingleAsync()).RuleId.ShouldBe("pump-trip");
        }

        [Fact]
        public async Task Database_created_before_migrations_is_adopted_with_its_rows_and_a_second_start_changes_nothing()
        {
            await using (var old = await Store.NewContextAsync())
            {
                // What versions before migrations created with EnsureCreated: the first schema, and no history.
                var first = old.Database.GetMigrations().First();
                await old.GetService<IMigrator>().MigrateAsync(first);
                await old.Database.ExecuteSqlRawAsync("DROP TABLE \"__EFMigrationsHistory\"");
                await InsertFirstSchemaRuleAsync(old, "pump-trip");
            }

            await Store.StartDatabaseAsync();
            await Store.StartDatabaseAsync();

            await using var db = await Store.NewContextAsync();
            (await db.Database.GetAppliedMigrationsAsync()).ShouldBe(db.Database.GetMigrations());
            (await db.Set<AlarmRule>().SingleAsync()).RuleId.ShouldBe("pump-trip");
        }
    }

    [Collection(PostgreSqlCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlFixture postgres) : DatabaseMigrationTests(postgres.Server)
    {
        [Fact]
        public async Task Runs_on_the_postgresql_context_with_instants_in_timestamptz()
        {
            await Store.StartDatabaseAsync();

            await using var db = await Store.NewContextAsync();
            db.ShouldBeOfType<PostgreSqlEbaDbContext>();
            (await db.Database.SqlQueryRaw<string>(
                    "SELECT data_type AS \"Value\" FROM information_schema.columns WHERE table_name = 'Alarm' AND column_name = 'RaisedUtc'")
                .ToListAsync()).ShouldBe(["timestamp with time zone"]);
        }
    }
}
