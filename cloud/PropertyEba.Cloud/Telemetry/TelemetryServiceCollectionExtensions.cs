using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TelemetryOptions, TelemetryOptionsValidator>(configuration, TelemetryOptions.SectionName);
        services.AddSingleton<LatestValueCache>();
        services.AddSingleton<ITelemetryStore>(sp =>
        {
            var telemetry = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            var data = sp.GetRequiredService<IOptions<PersistenceOptions>>().Value.DataDirectory;
            return new EmbeddedTelemetryStore(Path.GetFullPath(Path.Combine(data, telemetry.Directory)));
        });
        return services;
    }
}
