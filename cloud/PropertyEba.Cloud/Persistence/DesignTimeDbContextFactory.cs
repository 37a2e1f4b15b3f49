using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PropertyEba.Cloud.Persistence;

// The contexts as `dotnet ef migrations add --context ...` sees them (add-migration.sh runs it once per provider),
// without starting the host (which would start the broker, the demo estate and the web server). Neither database
// is opened to write a migration, so neither needs to exist.

/// <summary>Design-time SQLite context, for Persistence/Migrations/Sqlite.</summary>
internal sealed class SqliteDesignTimeDbContextFactory : IDesignTimeDbContextFactory<SqliteEbaDbContext>
{
    public SqliteEbaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteEbaDbContext>().UseSqlite("Data Source=design-time.db").Options, new Tenancy.CallerAccessor());
}

/// <summary>Design-time PostgreSQL context, for Persistence/Migrations/PostgreSql.</summary>
internal sealed class PostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlEbaDbContext>
{
    public PostgreSqlEbaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlEbaDbContext>().UseNpgsql("Host=127.0.0.1;Database=design-time").Options, new Tenancy.CallerAccessor());
}
