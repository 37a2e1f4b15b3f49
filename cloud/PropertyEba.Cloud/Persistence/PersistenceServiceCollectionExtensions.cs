using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>SQLite through EF Core under the data folder; the schema is created at start-up.</summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PersistenceOptions>().Bind(configuration.GetSection(PersistenceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PersistenceOptions>, PersistenceOptionsValidator>();
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
