namespace PropertyEba.Cloud.Overview;

/// <summary>
/// What a person watching the estates reads: sites with their device and active-alarm counts and edge status, devices
/// with their latest values, a point's history. It composes assets, alarms, ingestion and telemetry, so it sits above
/// all of them (and none of them needs it).
/// </summary>
public static class OverviewServiceCollectionExtensions
{
    public static IServiceCollection AddOverview(this IServiceCollection services)
    {
        services.AddSingleton<AssetQueries>();
        return services;
    }
}
