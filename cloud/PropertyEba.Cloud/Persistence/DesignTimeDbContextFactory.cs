using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PropertyEba.Cloud.Persistence;

/// <summary>
/// The context as `dotnet ef migrations add` sees it: SQLite, without starting the host (which would start the
/// broker, the demo estate and the web server). The file it names is never opened to write a migration.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<EbaDbContext>
{
    public EbaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<EbaDbContext>().UseSqlite("Data Source=design-time.db").Options, new Identity.CallerAccessor());
}
