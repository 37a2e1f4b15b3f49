using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Edges;
using PropertyEba.Cloud.Identity;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Overview;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.SiteFiles;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Dashboard;

/// <summary>
/// The cloud's side of the administrator pages: each call is authorized with the same policy as its REST endpoint
/// (evaluated by <see cref="IAuthorizationService"/> on the session's user), run as the session's caller so the query
/// filters apply, and delegated to the administration service the endpoint uses, so validation is never repeated here.
/// A refusal of the service comes back as an <see cref="AdminProblem"/> carrying its fields and messages.
/// </summary>
internal sealed partial class DashboardAdministration(
    SiteAdministration sites,
    SiteTransfer transfer,
    DeviceProfileLibrary profiles,
    DeviceAdministration devices,
    AlarmRuleAdministration rules,
    AlarmService alarms,
    AssetQueries assets,
    UserAdministration users,
    EdgeProvisioning edges,
    PendingEdges pendingEdges,
    BrokerEndpoint broker,
    IOptions<MqttOptions> mqtt,
    IDbContextFactory<EbaDbContext> dbFactory,
    IAuthorizationService authorization,
    AuthenticationStateProvider authentication,
    CircuitCaller circuit,
    CallerAccessor callers,
    ILogger<DashboardAdministration> logger) : IDashboardAdministration
{
    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<AdminAccess> GetAccessAsync()
    {
        var user = await UserAsync();
        return new AdminAccess(
            await AllowedAsync(user, Policies.ManageConfiguration),
            await AllowedAsync(user, Policies.ManageEquipment),
            await AllowedAsync(user, Policies.ManageAlarmRules),
            await AllowedAsync(user, Policies.ReadAudit));
    }

    public Task<AdminResult<IReadOnlyList<SiteDto>>> ListSitesAsync(string tenantId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.TenantMember, () => assets.GetSitesAsync(tenantId, ct));

    public Task<AdminResult<SiteDetailDto>> GetSiteAsync(string tenantId, string siteId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.TenantMember, () => sites.GetSiteAsync(tenantId, siteId, ct));

    public Task<AdminResult<SiteDetailDto>> CreateSiteAsync(string tenantId, SiteRequest request, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageConfiguration, () => sites.CreateSiteAsync(tenantId, request, ct));

    public Task<AdminResult<SiteDetailDto>> UpdateSiteAsync(string tenantId, string siteId, SiteRequest request, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageConfiguration, () => sites.UpdateSiteAsync(tenantId, siteId, request, ct));

    public Task<AdminResult<IReadOnlyList<BuildingDto>>> ListBuildingsAsync(string tenantId, string siteId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.TenantMember, () => sites.ListBuildingsAsync(tenantId, siteId, ct));

    public Task<AdminResult<BuildingDto>> CreateBuildingAsync(string tenantId, string siteId, BuildingRequest request, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageConfiguration, () => sites.CreateBuildingAsync(tenantId, siteId, request, ct));

    public Task<AdminResult<bool>> DeleteBuildingAsync(string tenantId, string siteId, string buildingId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageConfiguration, async () => { await sites.DeleteBuildingAsync(tenantId, siteId, buildingId, ct); return true; });

    public Task<AdminResult<IReadOnlyList<LocationDto>>> ListLocationsAsync(string tenantId, string siteId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.TenantMember, () => sites.ListLocationsAsync(tenantId, siteId, ct));

    public Task<AdminResult<LocationDto>> CreateLocationAsync(string tenantId, string siteId, LocationRequest request, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageConfiguration, () => sites.CreateLocationAsync(tenantId, siteId, request, ct));

    public Task<AdminResult<bool>> DeleteLocationAsync(string tenantId, string siteId, string locationId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageConfiguration, async () => { await sites.DeleteLocationAsync(tenantId, siteId, locationId, ct); return true; });

    public Task<AdminResult<IReadOnlyList<SystemDto>>> ListSystemsAsync(string tenantId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.TenantMember, () => sites.ListSystemsAsync(tenantId, ct));

    public Task<AdminResult<string>> ExportSiteAsync(string tenantId, string siteId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageConfiguration, async () => JsonSerializer.Serialize(await transfer.ExportAsync(tenantId, siteId, ct), FileJson));

    public Task<AdminResult<SiteImportResultDto>> ImportSiteAsync(string tenantId, string json, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageConfiguration, async () =>
        {
            SiteFileDto? file;
            try
            {
                file = JsonSerializer.Deserialize<SiteFileDto>(json, FileJson);
            }
            catch (JsonException ex)
            {
                // The same words the API's JSON binding would give: where the file stops being a site file.
                throw new AssetProblemException(AssetProblemKind.Invalid, "Invalid site file", "The file is not a site file.",
                    new Dictionary<string, string[]> { ["file"] = [$"Not valid JSON for a site file at {ex.Path ?? "$"} (line {(ex.LineNumber ?? 0) + 1}): {ex.Message}"] });
            }

            return await transfer.ImportAsync(tenantId, file ?? throw new AssetProblemException(AssetProblemKind.Invalid, "Invalid site file", "The file is empty.",
                new Dictionary<string, string[]> { ["file"] = ["The file holds no site (null)."] }), ct);
        });

    public Task<AdminResult<IReadOnlyList<DeviceProfileDto>>> ListProfilesAsync(string tenantId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.TenantMember, () => profiles.ListAsync(tenantId, ct));

    public Task<AdminResult<DeviceProfileDto>> UploadProfileAsync(string tenantId, string json, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageEquipment, () => profiles.UploadAsync(tenantId, json, ct));

    public Task<AdminResult<IReadOnlyList<DeviceDto>>> ListDevicesAsync(string tenantId, string siteId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.TenantMember, () => assets.GetDevicesAsync(tenantId, siteId, ct));

    public Task<AdminResult<DeviceDetailDto>> GetDeviceAsync(string tenantId, string siteId, string deviceId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.TenantMember, () => devices.GetDeviceAsync(tenantId, siteId, deviceId, ct));

    public Task<AdminResult<DeviceDetailDto>> CreateDeviceAsync(string tenantId, string siteId, DeviceRequest request, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageEquipment, () => devices.CreateDeviceAsync(tenantId, siteId, request, ct));

    public Task<AdminResult<DeviceDetailDto>> UpdateDeviceAsync(string tenantId, string siteId, string deviceId, DeviceRequest request, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageEquipment, () => devices.UpdateDeviceAsync(tenantId, siteId, deviceId, request, ct));

    public Task<AdminResult<DevicePointDto>> OverridePointAsync(string tenantId, string siteId, string deviceId, string pointId, PointOverrideDto request, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageEquipment, () => devices.OverridePointAsync(tenantId, siteId, deviceId, pointId, request, ct));

    public Task<AdminResult<DevicePointDto>> ResetPointAsync(string tenantId, string siteId, string deviceId, string pointId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageEquipment, () => devices.ResetPointAsync(tenantId, siteId, deviceId, pointId, ct));

    public Task<AdminResult<IReadOnlyList<AlarmRuleDto>>> ListRulesAsync(string tenantId, CancellationToken ct) =>
        RunAsync<IReadOnlyList<AlarmRuleDto>>(tenantId, Policies.TenantMember, async () => [.. (await alarms.ListRulesAsync(tenantId, ct)).Select(r => r.ToDto())]);

    public Task<AdminResult<AlarmRuleDto>> CreateRuleAsync(string tenantId, AlarmRuleRequest request, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageAlarmRules, () => rules.CreateAsync(tenantId, request, ct));

    public Task<AdminResult<AlarmRuleDto>> UpdateRuleAsync(string tenantId, string ruleId, AlarmRuleRequest request, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageAlarmRules, () => rules.UpdateAsync(tenantId, ruleId, request, ct));

    public Task<AdminResult<AlarmRuleDto>> SetRuleEnabledAsync(string tenantId, string ruleId, bool enabled, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageAlarmRules, () => rules.SetEnabledAsync(tenantId, ruleId, enabled, ct));

    public Task<AdminResult<bool>> DeleteRuleAsync(string tenantId, string ruleId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageAlarmRules, async () => { await rules.DeleteAsync(tenantId, ruleId, ct); return true; });

    public Task<AdminResult<IReadOnlyList<UserDto>>> ListUsersAsync(string tenantId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageConfiguration, () => users.ListAsync(tenantId, ct));

    public Task<AdminResult<CreatedUser>> CreateUserAsync(string tenantId, CreateUserRequest request, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageConfiguration, async () =>
        {
            var password = string.IsNullOrEmpty(request.Password) ? UserAdministration.GeneratePassword() : request.Password;
            var (user, errors) = await users.CreateAsync(tenantId, request with { Password = password }, ct);
            return user is not null ? new CreatedUser(user, password) : throw Invalid("Invalid user", errors!);
        });

    public Task<AdminResult<UserDto>> UpdateUserAsync(string tenantId, string userName, UpdateUserRequest request, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageConfiguration, async () =>
        {
            var (user, errors) = await users.UpdateAsync(tenantId, userName, request, ct);
            return user ?? throw (errors is not null ? Invalid("Invalid user", errors) : AssetProblemException.NotFound("user", $"Tenant '{tenantId}' has no user '{userName}'."));
        });

    public Task<AdminResult<IReadOnlyList<EdgeDto>>> ListEdgesAsync(string tenantId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageEquipment, () => edges.ListAsync(tenantId, ct));

    public Task<AdminResult<EdgeSecret>> ProvisionEdgeAsync(string tenantId, string siteId, ProvisionEdgeRequest request, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageEquipment, async () => Secret(await edges.ProvisionAsync(tenantId, siteId, request, ct)));

    public Task<AdminResult<EdgeSecret>> RotateEdgeSecretAsync(string tenantId, string siteId, string edgeId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageEquipment, async () => Secret(await edges.RotateSecretAsync(tenantId, siteId, edgeId, ct)));

    public Task<AdminResult<EdgeDto>> SetEdgeEnabledAsync(string tenantId, string siteId, string edgeId, bool enabled, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageEquipment, async () =>
        {
            var (edge, problem) = await edges.SetEnabledAsync(tenantId, siteId, edgeId, enabled, ct);
            return edge ?? throw Refusal(problem!);
        });

    public Task<AdminResult<bool>> DeleteEdgeAsync(string tenantId, string siteId, string edgeId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageEquipment, async () => await edges.DeleteAsync(tenantId, siteId, edgeId, ct) is { } problem ? throw Refusal(problem) : true);

    public Task<AdminResult<IReadOnlyList<PendingEdgeDto>>> ListPendingEdgesAsync(string tenantId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageEquipment, () => Task.FromResult(pendingEdges.Of(tenantId)));

    public Task<AdminResult<EdgeSecret>> AdoptPendingEdgeAsync(string tenantId, string clientId, CancellationToken ct) =>
        RunAsync(tenantId, Policies.ManageEquipment, async () => Secret(await edges.AdoptAsync(tenantId, clientId, ct)));

    public Task<AdminResult<IReadOnlyList<AuditEntryDto>>> ListAuditAsync(string tenantId, string? action, int limit, CancellationToken ct) =>
        RunAsync<IReadOnlyList<AuditEntryDto>>(tenantId, Policies.ReadAudit, async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var query = db.Set<AuditEntry>().AsNoTracking().Where(a => a.TenantId == tenantId);
            if (!string.IsNullOrWhiteSpace(action))
            {
                query = query.Where(a => a.Action == action.Trim());
            }

            var rows = await query.OrderByDescending(a => a.Id).Take(Math.Clamp(limit, 1, AuditEndpoints.MaxListLimit)).ToListAsync(ct);
            return rows.ConvertAll(a => new AuditEntryDto(a.Id, a.AtUtc, a.UserId, a.UserName, a.Action, a.Target, a.Detail));
        });

    // The broker as it actually listens (the configured port may be 0 in tests), else as configured.
    private EdgeSecret Secret((EdgeCredentialsDto? Credentials, EdgeProblem? Problem) answer)
    {
        var credentials = answer.Credentials ?? throw Refusal(answer.Problem!);
        var (host, port) = broker.Current ?? (mqtt.Value.Host, mqtt.Value.Port);
        return new EdgeSecret(credentials, host, port);
    }

    private static AssetProblemException Refusal(EdgeProblem problem) => problem.StatusCode switch
    {
        StatusCodes.Status404NotFound => new(AssetProblemKind.NotFound, problem.Title, problem.Detail),
        StatusCodes.Status409Conflict => new(AssetProblemKind.Conflict, problem.Title, problem.Detail),
        _ => new(AssetProblemKind.Invalid, problem.Title, problem.Detail,
            problem.Field is { } field ? new Dictionary<string, string[]> { [field] = [problem.Detail] } : null),
    };

    private static AssetProblemException Invalid(string title, IReadOnlyDictionary<string, string[]> errors) =>
        new(AssetProblemKind.Invalid, title, $"{errors.Sum(e => e.Value.Length)} problem(s) found; nothing was changed.", errors);

    private async Task<AdminResult<T>> RunAsync<T>(string tenantId, string policy, Func<Task<T>> action)
    {
        var caller = circuit.Caller;
        if (caller.TenantId != tenantId || !await AllowedAsync(await UserAsync(), policy))
        {
            LogRefused(logger, caller.UserName, tenantId, policy);
            return AdminResult<T>.Refused(AdminProblem.Forbidden);
        }

        using (callers.Enter(caller))
        {
            try
            {
                return AdminResult<T>.Ok(await action());
            }
            catch (AssetProblemException problem)
            {
                return AdminResult<T>.Refused(new AdminProblem(problem.Title, problem.Detail, problem.Errors));
            }
        }
    }

    private async Task<ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    // No resource: the policies' tenant requirement then checks the user belongs to a tenant, and RunAsync that it is
    // the one asked for (the route's part of the requirement).
    private async Task<bool> AllowedAsync(ClaimsPrincipal user, string policy) => (await authorization.AuthorizeAsync(user, null, policy)).Succeeded;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard administration refused {UserName} for tenant {TenantId}: policy {Policy} not met")]
    private static partial void LogRefused(ILogger logger, string userName, string tenantId, string policy);
}
