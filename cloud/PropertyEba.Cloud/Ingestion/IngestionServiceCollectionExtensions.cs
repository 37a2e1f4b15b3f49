using PropertyEba.Cloud.Messaging;

namespace PropertyEba.Cloud.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// The ingestion path: inside the embedded broker (<see cref="BrokerIngestion"/>), or as a client of an external
    /// one (<see cref="MqttIngestionClient"/>); both hand messages through the <see cref="IngestionGate"/> to the worker.
    /// </summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<IngestionQueue>();
        services.AddSingleton<IngestionStats>();
        services.AddSingleton<EdgeRegistry>();
        services.AddSingleton<IngestionGate>();
        services.AddHostedService<IngestionCounterFile>();
        services.AddHostedService<IngestionWorker>();
        // Both are registered and the options decide at run time which one works: configuration read here, before the
        // host is built, would miss sources added later (a test host's overrides), and the wrong path would ingest nothing.
        services.AddSingleton<IInboundPublishHandler, BrokerIngestion>();
        services.AddHostedService<MqttIngestionClient>();
        return services;
    }
}
