using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Assets;

public static class AssetsServiceCollectionExtensions
{
    public static IServiceCollection AddAssets(this IServiceCollection services)
    {
        services.AddAuditTrail();
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<SiteAdministration>();
        services.AddSingleton<DeviceProfileLibrary>();
        services.AddSingleton<DeviceAdministration>();
        return services;
    }

    public static IEndpointRouteBuilder MapAssetEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapTenantEndpoints();
        app.MapSiteEndpoints();
        app.MapEquipmentEndpoints();
        return app;
    }
}
