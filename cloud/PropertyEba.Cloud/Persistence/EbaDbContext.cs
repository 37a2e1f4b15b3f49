using Microsoft.EntityFrameworkCore;

namespace PropertyEba.Cloud.Persistence;

/// <summary>
/// The relational store: assets, alarms, tickets. Each feature folder contributes its entities
/// through IEntityTypeConfiguration classes, applied here from the assembly.
/// </summary>
public sealed class EbaDbContext(DbContextOptions<EbaDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(EbaDbContext).Assembly);

        if (Database.IsSqlite())
        {
            // SQLite cannot order or compare DateTimeOffset natively; store it as UTC ticks so queries by time stay in SQL.
            foreach (var entity in modelBuilder.Model.GetEntityTypes())
            {
                foreach (var property in entity.GetProperties().Where(p => p.ClrType == typeof(DateTimeOffset) || p.ClrType == typeof(DateTimeOffset?)))
                {
                    property.SetValueConverter(typeof(DateTimeOffsetToUtcTicksConverter));
                }
            }
        }
    }
}
