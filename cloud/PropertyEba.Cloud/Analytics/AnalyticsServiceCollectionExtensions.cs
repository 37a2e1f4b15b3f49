namespace PropertyEba.Cloud.Analytics;

public static class AnalyticsServiceCollectionExtensions
{
    /// <summary>Window aggregates, consumption and the series catalog behind /api/tenants/{tenantId}/analytics.</summary>
    public static IServiceCollection AddAnalytics(this IServiceCollection services)
    {
        services.AddSingleton<SeriesCatalog>();
        services.AddSingleton<TelemetryAnalytics>();
        return services;
    }
}
