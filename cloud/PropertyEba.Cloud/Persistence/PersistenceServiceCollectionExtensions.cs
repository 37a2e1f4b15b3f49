using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Hosting;

namespace PropertyEba.Cloud.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>SQLite through EF Core under the data folder; the schema is created at start-up.</summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PersistenceOptions, PersistenceOptionsValidator>(configuration, PersistenceOptions.SectionName);

        // Every context is created for the caller of the code creating it (the tenant query filters).
        services.TryAddSingleton<Identity.CallerAccessor>();
        // Changes are audited in the SaveChanges that makes them, so the trail comes with the store.
        services.TryAddSingleton<Audit.AuditTrail>();
        services.AddDbContextFactory<EbaDbContext>((sp, db) =>
        {
            var options = sp.GetRequiredService<IOptions<PersistenceOptions>>().Value;
            Directory.CreateDirectory(options.DataDirectory);
            db.UseSqlite(options.ResolveConnectionString());
        });
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }
}
