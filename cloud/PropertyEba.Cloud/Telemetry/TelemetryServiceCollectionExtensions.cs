using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Telemetry.InfluxDb;

namespace PropertyEba.Cloud.Telemetry;

public static partial class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TelemetryOptions, TelemetryOptionsValidator>(configuration, TelemetryOptions.SectionName);
        services.AddSingleton<LatestValueCache>();
        services.AddValidatedOptions<TelemetryRetentionOptions, TelemetryRetentionOptionsValidator>(configuration, TelemetryRetentionOptions.SectionName);
        services.AddSingleton<TelemetryRetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryRetentionService>());

        // The engine decides which services exist (a hosted writer, a health check), so it is read here; the
        // validator still refuses a bad value at start-up with the full message.
        var engine = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>()?.EffectiveEngine ?? TelemetryOptions.EmbeddedEngine;
        if (engine == TelemetryOptions.InfluxDbEngine)
        {
            services.AddInfluxDbClient(sp => sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.InfluxDb);
            services.AddSingleton(sp =>
            {
                var telemetry = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
                var data = sp.GetRequiredService<IOptions<PersistenceOptions>>().Value.DataDirectory;
                return new InfluxDbTelemetryStore(
                    sp.GetRequiredService<InfluxDbClient>(),
                    telemetry.InfluxDb,
                    Path.GetFullPath(Path.Combine(data, telemetry.InfluxDb.BufferDirectory)),
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<InfluxDbTelemetryStore>>(),
                    sp.GetService<System.Diagnostics.Metrics.IMeterFactory>());
            });
            services.AddSingleton<ITelemetryStore>(sp => sp.GetRequiredService<InfluxDbTelemetryStore>());

            // Started before ingestion (registered earlier), stopped after it: queued appends are written or buffered.
            services.AddHostedService(sp => sp.GetRequiredService<InfluxDbTelemetryStore>());
            services.AddHealthChecks().AddCheck<InfluxDbHealthCheck>("influxdb");
            return services;
        }

        services.AddSingleton<ITelemetryStore>(sp =>
        {
            var telemetry = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            var data = sp.GetRequiredService<IOptions<PersistenceOptions>>().Value.DataDirectory;
            var directory = Path.GetFullPath(Path.Combine(data, telemetry.Directory));
            if (telemetry.EmbeddedFormat == "dayfiles")
            {
                return new EmbeddedTelemetryStore(directory);
            }

            // Resolved once at start-up; a folder of day files is migrated here, before ingestion starts.
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DuckDbTelemetryStore));
            var (store, migrated, withoutSeries) = DuckDbTelemetryStore.OpenAsync(directory, telemetry.EmbeddedMemoryLimitMb, CancellationToken.None).GetAwaiter().GetResult();
            if (migrated > 0 || withoutSeries > 0)
            {
                LogMigrated(log, migrated, withoutSeries, directory);
            }

            return store;
        });
        return services;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migrated {Migrated} samples from day files into DuckDB in {Directory} ({WithoutSeries} records named no indexed series and were left in the day files, now under dayfiles-migrated)")]
    private static partial void LogMigrated(ILogger logger, long migrated, long withoutSeries, string directory);
}
