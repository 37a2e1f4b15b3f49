using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Hosting;

namespace PropertyEba.Cloud.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// The relational store through EF Core on the provider <c>Persistence:Provider</c> names (SQLite under the data
    /// folder by default, or PostgreSQL); the schema is brought up to date at start-up.
    /// </summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PersistenceOptions, PersistenceOptionsValidator>(configuration, PersistenceOptions.SectionName);

        // Every context is created for the caller of the code creating it (the tenant query filters).
        services.TryAddSingleton<Tenancy.CallerAccessor>();

        // Interceptors other folders register (the outbox's commit signal) run on every context.
        // One context type per provider, for their migrations; both are registered, and only the one the validated
        // options choose is ever built. The rest of the cloud asks for EbaDbContext and never sees which.
        services.AddDbContextFactory<SqliteEbaDbContext>((sp, db) =>
        {
            var options = sp.GetRequiredService<IOptions<PersistenceOptions>>().Value;
            Directory.CreateDirectory(options.DataDirectory);
            db.UseSqlite(options.ResolveConnectionString()).AddInterceptors(sp.GetServices<IInterceptor>());
        });
        services.AddDbContextFactory<PostgreSqlEbaDbContext>((sp, db) =>
            db.UseNpgsql(sp.GetRequiredService<IOptions<PersistenceOptions>>().Value.ConnectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
        services.TryAddSingleton<IDbContextFactory<EbaDbContext>>(sp =>
            sp.GetRequiredService<IOptions<PersistenceOptions>>().Value.IsPostgreSql
                ? new ProviderContextFactory<PostgreSqlEbaDbContext>(sp.GetRequiredService<IDbContextFactory<PostgreSqlEbaDbContext>>())
                : new ProviderContextFactory<SqliteEbaDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteEbaDbContext>>()));
        // For code that wants a scoped context (Identity's EF stores), from the same factory as every other context.
        services.TryAddScoped<EbaDbContext>(sp => sp.GetRequiredService<IDbContextFactory<EbaDbContext>>().CreateDbContext());

        services.AddHostedService<DatabaseInitializer>();
        return services;
    }

    private sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<EbaDbContext>
        where TContext : EbaDbContext
    {
        public EbaDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<EbaDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
