using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Assets;

public static class AssetsServiceCollectionExtensions
{
    public static IServiceCollection AddAssets(this IServiceCollection services)
    {
        services.AddSingleton<AssetRegistry>();
        services.AddSingleton<AssetQueries>();
        return services;
    }

    public static IEndpointRouteBuilder MapAssetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tenants/{tenantId}/sites").WithTags("Sites and devices");

        group.MapGet("/", async Task<Results<Ok<IReadOnlyList<SiteDto>>, ProblemHttpResult>> (string tenantId, AssetQueries assets, CancellationToken ct) =>
            MqttTopics.IsId(tenantId) ? TypedResults.Ok(await assets.GetSitesAsync(tenantId, ct)) : AlarmsServiceCollectionExtensions.BadTenant(tenantId))
            .WithName("ListSites").WithSummary("The tenant's estates with device and active alarm counts and edge status.");

        group.MapGet("/{siteId}/devices", async Task<Results<Ok<IReadOnlyList<DeviceDto>>, ProblemHttpResult>> (string tenantId, string siteId, AssetQueries assets, CancellationToken ct) =>
            MqttTopics.IsId(tenantId) && MqttTopics.IsId(siteId) ? TypedResults.Ok(await assets.GetDevicesAsync(tenantId, siteId, ct)) : AlarmsServiceCollectionExtensions.BadTenant(tenantId))
            .WithName("ListDevices").WithSummary("Devices of a site with every point's latest value, quality and time.");

        group.MapGet("/{siteId}/devices/{deviceId}/points/{pointId}/history", async Task<Results<Ok<IReadOnlyList<StoredSample>>, ProblemHttpResult>> (
            string tenantId, string siteId, string deviceId, string pointId, DateTimeOffset? from, DateTimeOffset? to, int? limit, ITelemetryStore store, TimeProvider time, CancellationToken ct) =>
        {
            var end = to ?? time.GetUtcNow();
            var start = from ?? end.AddHours(-1);
            if (start >= end)
            {
                return TypedResults.Problem($"'from' ({start:o}) must be before 'to' ({end:o}).", statusCode: 400);
            }

            if (end - start > TimeSpan.FromDays(31))
            {
                return TypedResults.Problem("The range may span at most 31 days.", statusCode: 400);
            }

            return TypedResults.Ok(await store.QueryAsync(new SeriesKey(tenantId, siteId, deviceId, pointId), start, end, Math.Clamp(limit ?? 10_000, 1, 100_000), ct));
        }).WithName("GetPointHistory").WithSummary("Stored samples of one point in a time range (default: the last hour).");
        return app;
    }
}
