namespace PropertyEba.Cloud.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.AddSingleton<IngestionQueue>();
        services.AddSingleton<IngestionStats>();
        services.AddSingleton<EdgeRegistry>();
        services.AddHostedService<IngestionWorker>();
        services.AddHostedService<MqttIngestionClient>();
        return services;
    }

    public static IEndpointRouteBuilder MapIngestionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ingestion").WithTags("Ingestion");
        group.MapGet("/stats", (IngestionStats stats) => TypedResults.Ok(stats.Snapshot()))
            .WithName("GetIngestionStats").WithSummary("Counters of the MQTT ingestion path: accepted, rejected, duplicates, gaps, drops.");
        return app;
    }
}
