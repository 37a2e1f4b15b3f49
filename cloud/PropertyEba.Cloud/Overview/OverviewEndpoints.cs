using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Overview;

public static class OverviewEndpoints
{
    /// <summary>Most samples one history request returns (the newest are kept).</summary>
    public const int MaxHistoryLimit = 100_000;

    /// <summary>Longest time range one history request may span.</summary>
    public static readonly TimeSpan MaxHistoryRange = TimeSpan.FromDays(31);

    public static IEndpointRouteBuilder MapOverviewEndpoints(this IEndpointRouteBuilder app)
    {
        // Route ids (tenant, site, device, point) are validated by the group's filter.
        var group = app.MapTenantGroup("/sites", "Sites and devices");
        group.MapGet("/", ListSites).WithName("ListSites").WithSummary("The tenant's estates with device and active alarm counts and edge status.");
        group.MapGet("/{siteId}/devices", ListDevices).WithName("ListDevices").WithSummary("Devices of a site with every point's latest value, quality and time.");
        group.MapGet("/{siteId}/devices/{deviceId}/points/{pointId}/history", GetPointHistory).WithName("GetPointHistory")
            .WithSummary("Stored samples of one point in a time range (default: the last hour, at most 10,000 samples).");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<SiteDto>>> ListSites(string tenantId, AssetQueries assets, CancellationToken ct) =>
        TypedResults.Ok(await assets.GetSitesAsync(tenantId, ct));

    public static async Task<Ok<IReadOnlyList<DeviceDto>>> ListDevices(string tenantId, string siteId, AssetQueries assets, CancellationToken ct) =>
        TypedResults.Ok(await assets.GetDevicesAsync(tenantId, siteId, ct));

    public static async Task<Results<Ok<IReadOnlyList<StoredSample>>, ProblemHttpResult>> GetPointHistory(
        string tenantId, string siteId, string deviceId, string pointId, DateTimeOffset? from, DateTimeOffset? to, int? limit, ITelemetryStore store, TimeProvider time, CancellationToken ct)
    {
        if (limit is < 1 or > MaxHistoryLimit)
        {
            return ApiProblems.OutOfRange(nameof(limit), limit.Value, 1, MaxHistoryLimit);
        }

        // Nothing is stored before 2020; near DateTimeOffset.MinValue the default 'from' (to − 1 h) would not exist.
        if (from < DateTimeOffset.UnixEpoch || to <= DateTimeOffset.UnixEpoch)
        {
            return ApiProblems.Invalid("range", "'from' and 'to' must lie after 1970-01-01T00:00:00Z.");
        }

        var end = to ?? time.GetUtcNow();
        var start = from ?? end.AddHours(-1);
        if (start >= end)
        {
            return ApiProblems.Invalid("range", $"'from' ({start:o}) must be before 'to' ({end:o}).");
        }

        if (end - start > MaxHistoryRange)
        {
            return ApiProblems.Invalid("range", $"The range may span at most {MaxHistoryRange.TotalDays} days.");
        }

        return TypedResults.Ok(await store.QueryAsync(new SeriesKey(tenantId, siteId, deviceId, pointId), start, end, limit ?? 10_000, ct));
    }
}
