using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Assets;

/// <summary>Device profiles, devices and their points: what installers and administrators commission.</summary>
public static class EquipmentEndpoints
{
    public static IEndpointRouteBuilder MapEquipmentEndpoints(this IEndpointRouteBuilder app)
    {
        var profiles = app.MapTenantGroup("/device-profiles", "Device profiles").AddEndpointFilter<AssetProblemFilter>();
        profiles.MapGet("/", ListDeviceProfiles).WithName("ListDeviceProfiles").WithSummary("The built-in profiles and the latest version of each the tenant uploaded.");
        profiles.MapGet("/{profileId}", GetDeviceProfile).WithName("GetDeviceProfile").WithSummary("One version of a profile (default: the latest) with its points and versions.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        profiles.MapPost("/", UploadDeviceProfile).WithName("UploadDeviceProfile")
            .WithSummary("Uploads a profile (the JSON the edge reads); checked by the edge's loader, every problem reported. A known id becomes its next version.")
            .Accepts<System.Text.Json.JsonElement>("application/json")
            .RequireAuthorization(Policies.ManageEquipment).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        var devices = app.MapTenantGroup("/sites/{siteId}/devices", "Sites and devices").AddEndpointFilter<AssetProblemFilter>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        devices.MapGet("/{deviceId}", GetDevice).WithName("GetDevice").WithSummary("A device with its profile version, connection, ledger and points (with overrides).");
        devices.MapPost("/", CreateDevice).WithName("CreateDevice").WithSummary("Creates a device from a profile version; its points are copied from the profile.")
            .RequireAuthorization(Policies.ManageEquipment).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        devices.MapPut("/{deviceId}", UpdateDevice).WithName("UpdateDevice").WithSummary("Changes a device; a new profileVersion moves it (point overrides are kept).")
            .RequireAuthorization(Policies.ManageEquipment).ProducesValidationProblem();
        devices.MapDelete("/{deviceId}", DeleteDevice).WithName("DeleteDevice").WithSummary("Deletes a device and its points; refused while rules watch it.")
            .RequireAuthorization(Policies.ManageEquipment).ProducesProblem(StatusCodes.Status409Conflict);
        devices.MapPut("/{deviceId}/points/{pointId}", OverridePoint).WithName("OverridePoint").WithSummary("Overrides a point's name, unit, enabled or deadband for this device.")
            .RequireAuthorization(Policies.ManageEquipment).ProducesValidationProblem();
        devices.MapDelete("/{deviceId}/points/{pointId}/override", ResetPoint).WithName("ResetPoint").WithSummary("Drops a point's override: the profile's values apply again.")
            .RequireAuthorization(Policies.ManageEquipment);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<DeviceProfileDto>>> ListDeviceProfiles(string tenantId, DeviceProfileLibrary profiles, CancellationToken ct) =>
        TypedResults.Ok(await profiles.ListAsync(tenantId, ct));

    public static async Task<Results<Ok<DeviceProfileDto>, ProblemHttpResult>> GetDeviceProfile(string tenantId, string profileId, int? version, DeviceProfileLibrary profiles, CancellationToken ct) =>
        version is < 1 ? ApiProblems.OutOfRange(nameof(version), version.Value, 1, int.MaxValue)
        : TypedResults.Ok(await profiles.GetAsync(tenantId, profileId, version, ct));

    public static async Task<Created<DeviceProfileDto>> UploadDeviceProfile(string tenantId, HttpRequest request, DeviceProfileLibrary profiles, CancellationToken ct)
    {
        // Read as text: the loader the edge uses parses it, so the cloud accepts exactly what the edge can run.
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[DeviceProfileLibrary.MaxProfileBytes + 1];
        var length = await reader.ReadBlockAsync(buffer, ct);
        var profile = await profiles.UploadAsync(tenantId, new string(buffer, 0, length), ct);
        return TypedResults.Created($"/api/tenants/{tenantId}/device-profiles/{profile.ProfileId}?version={profile.Version}", profile);
    }

    public static async Task<Ok<DeviceDetailDto>> GetDevice(string tenantId, string siteId, string deviceId, DeviceAdministration devices, CancellationToken ct) =>
        TypedResults.Ok(await devices.GetDeviceAsync(tenantId, siteId, deviceId, ct));

    public static async Task<Created<DeviceDetailDto>> CreateDevice(string tenantId, string siteId, DeviceRequest request, DeviceAdministration devices, CancellationToken ct)
    {
        var device = await devices.CreateDeviceAsync(tenantId, siteId, request, ct);
        return TypedResults.Created($"/api/tenants/{tenantId}/sites/{siteId}/devices/{device.DeviceId}", device);
    }

    public static async Task<Ok<DeviceDetailDto>> UpdateDevice(string tenantId, string siteId, string deviceId, DeviceRequest request, DeviceAdministration devices, CancellationToken ct) =>
        TypedResults.Ok(await devices.UpdateDeviceAsync(tenantId, siteId, deviceId, request, ct));

    public static async Task<NoContent> DeleteDevice(string tenantId, string siteId, string deviceId, DeviceAdministration devices, CancellationToken ct)
    {
        await devices.DeleteDeviceAsync(tenantId, siteId, deviceId, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<DevicePointDto>> OverridePoint(string tenantId, string siteId, string deviceId, string pointId, PointOverrideDto request, DeviceAdministration devices, CancellationToken ct) =>
        TypedResults.Ok(await devices.OverridePointAsync(tenantId, siteId, deviceId, pointId, request, ct));

    public static async Task<Ok<DevicePointDto>> ResetPoint(string tenantId, string siteId, string deviceId, string pointId, DeviceAdministration devices, CancellationToken ct) =>
        TypedResults.Ok(await devices.ResetPointAsync(tenantId, siteId, deviceId, pointId, ct));
}
