using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.Persistence;

/// <summary>The store on SQLite, the zero-setup default: its migrations are in Persistence/Migrations/Sqlite.</summary>
public sealed class SqliteEbaDbContext(DbContextOptions<SqliteEbaDbContext> options, CallerAccessor callers)
    : EbaDbContext(options, callers)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite cannot order or compare DateTimeOffset natively; store it as UTC ticks so queries by time stay in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
    }
}
