using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.Persistence;

/// <summary>The store on PostgreSQL, for production: its migrations are in Persistence/Migrations/PostgreSql.</summary>
public sealed class PostgreSqlEbaDbContext(DbContextOptions<PostgreSqlEbaDbContext> options, CallerAccessor callers)
    : EbaDbContext(options, callers)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // DateTimeOffset maps to timestamptz, which holds an instant and no offset; Npgsql refuses to write one whose
        // offset is not zero rather than drop it silently. Site-local times (a +08:00 shift start) are converted to
        // the same instant in UTC, which is what every query compares.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcConverter>();
    }
}
