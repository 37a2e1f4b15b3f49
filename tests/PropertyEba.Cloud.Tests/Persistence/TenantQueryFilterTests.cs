using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Persistence;

/// <summary>
/// The tenant and site query filters in the SQL each provider runs (docs/adr/0009-tenant-isolation.md): a context made
/// for a caller returns the caller's rows only, whatever the query asks for; one made for background work returns all.
/// </summary>
public abstract class TenantQueryFilterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Raised = new(2026, 12, 4, 9, 30, 0, TimeSpan.FromHours(8));

    private readonly TempStore _store;

    private TenantQueryFilterTests(PostgresServer? postgres) => _store = new TempStore(postgres: postgres);

    public sealed class OnSqlite() : TenantQueryFilterTests(postgres: null);

    [Collection(PostgreSqlCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlFixture postgres) : TenantQueryFilterTests(postgres.Server);

    private CallerAccessor Callers => (CallerAccessor)_store.Services.GetService(typeof(CallerAccessor))!;

    public async Task InitializeAsync()
    {
        await _store.StartDatabaseAsync();
        await using var db = await _store.NewContextAsync();
        db.AddRange(Rule("acme"), Rule("globex"), Alarm("acme", "harbour"), Alarm("acme", "hilltop"), Alarm("globex", "harbour"));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_caller_sees_only_the_rows_of_its_tenant_even_when_the_query_names_another()
    {
        using (Callers.Enter(Member("acme", sites: null)))
        {
            await using var db = await _store.NewContextAsync();

            (await db.Set<AlarmRule>().Select(r => r.TenantId).ToListAsync()).ShouldBe(["acme"]);
            (await db.Set<Alarm>().Where(a => a.TenantId == "globex").CountAsync()).ShouldBe(0, "globex's alarm is not the caller's");
            (await db.Set<Alarm>().Select(a => a.SiteId).OrderBy(s => s).ToListAsync()).ShouldBe(["harbour", "hilltop"]);
        }
    }

    [Fact]
    public async Task A_caller_limited_to_a_site_sees_only_that_sites_rows()
    {
        using (Callers.Enter(Member("acme", sites: ["hilltop"])))
        {
            await using var db = await _store.NewContextAsync();

            (await db.Set<Alarm>().Select(a => a.SiteId).ToListAsync()).ShouldBe(["hilltop"]);
        }
    }

    [Fact]
    public async Task The_platform_operator_sees_no_tenants_rows_and_background_work_sees_all()
    {
        using (Callers.Enter(new Caller("op", "operator", null, new HashSet<string> { Roles.PlatformOperator }, null)))
        {
            await using var db = await _store.NewContextAsync();
            (await db.Set<Alarm>().CountAsync()).ShouldBe(0);
        }

        await using var background = await _store.NewContextAsync();
        (await background.Set<Alarm>().CountAsync()).ShouldBe(3);
    }

    [Fact]
    public async Task A_time_with_an_offset_is_stored_as_its_instant()
    {
        await using var db = await _store.NewContextAsync();

        var alarm = await db.Set<Alarm>().AsNoTracking().FirstAsync(a => a.RaisedUtc == Raised);

        alarm.RaisedUtc.ShouldBe(Raised, "the same instant as the +08:00 time written");
        alarm.RaisedUtc.Offset.ShouldBe(TimeSpan.Zero);
    }

    private static Caller Member(string tenant, string[]? sites) =>
        new("u-" + tenant, "someone", tenant, new HashSet<string> { Roles.Administrator }, sites?.ToHashSet());

    private static AlarmRule Rule(string tenant) => new()
    {
        TenantId = tenant,
        RuleId = "pump-trip",
        Name = "Pump trip",
        PointId = "pump1_fault",
        Condition = AlarmCondition.StateEquals,
        Threshold = 1,
    };

    private static Alarm Alarm(string tenant, string site) => new()
    {
        TenantId = tenant,
        SiteId = site,
        DeviceId = "pumps-1",
        PointId = "pump1_fault",
        RuleId = "pump-trip",
        Severity = Severity.Urgent,
        State = AlarmState.Active,
        Message = MessageCatalog.Typed("Pump trip"),
        RaisedUtc = Raised,
    };
}
