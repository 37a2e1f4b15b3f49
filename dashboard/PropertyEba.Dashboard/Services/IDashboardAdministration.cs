using PropertyEba.Contracts.Api;

namespace PropertyEba.Dashboard.Services;

/// <summary>
/// Why the cloud refused an administration request: a title, a detail, and for invalid input every field that is wrong
/// with what is allowed (keyed by the service's field name, e.g. <c>timeZone</c> or <c>connection.port</c>).
/// </summary>
public sealed record AdminProblem(string Title, string Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>The caller may not do this (the REST API would answer 403).</summary>
    public static AdminProblem Forbidden { get; } = new("Forbidden", "You are not allowed to do this.", new Dictionary<string, string[]>());

    /// <summary>The service's messages about one field (matched without regard to case).</summary>
    public IEnumerable<string> For(string field) =>
        Errors.Where(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase)).SelectMany(e => e.Value);
}

/// <summary>What an administration request answered: a value, or the problem that refused it.</summary>
public sealed record AdminResult<T>(T? Value, AdminProblem? Problem)
{
    public bool Succeeded => Problem is null;

    public static AdminResult<T> Ok(T value) => new(value, null);

    public static AdminResult<T> Refused(AdminProblem problem) => new(default, problem);
}

/// <summary>A user the administrator just created, with the password to hand over (shown once, never stored in clear).</summary>
public sealed record CreatedUser(UserDto User, string Password);

/// <summary>
/// An edge's new MQTT secret with the broker the installer points its agent at (shown once: the cloud keeps only a hash).
/// </summary>
public sealed record EdgeSecret(EdgeCredentialsDto Credentials, string MqttHost, int MqttPort);

/// <summary>
/// The administrator pages' services; implemented by the cloud over the same administration services as the REST API,
/// as the signed-in person and under the same policies, so a page can do nothing the API would refuse. Another tenant's
/// id, or a role the policy does not allow, answers <see cref="AdminProblem.Forbidden"/>.
/// </summary>
public interface IDashboardAdministration
{
    /// <summary>Which administration areas the signed-in person may use (for the menu; the calls check again).</summary>
    Task<AdminAccess> GetAccessAsync();

    Task<AdminResult<IReadOnlyList<SiteDto>>> ListSitesAsync(string tenantId, CancellationToken cancellationToken);

    Task<AdminResult<SiteDetailDto>> GetSiteAsync(string tenantId, string siteId, CancellationToken cancellationToken);

    Task<AdminResult<SiteDetailDto>> CreateSiteAsync(string tenantId, SiteRequest request, CancellationToken cancellationToken);

    Task<AdminResult<SiteDetailDto>> UpdateSiteAsync(string tenantId, string siteId, SiteRequest request, CancellationToken cancellationToken);

    Task<AdminResult<IReadOnlyList<BuildingDto>>> ListBuildingsAsync(string tenantId, string siteId, CancellationToken cancellationToken);

    Task<AdminResult<BuildingDto>> CreateBuildingAsync(string tenantId, string siteId, BuildingRequest request, CancellationToken cancellationToken);

    Task<AdminResult<bool>> DeleteBuildingAsync(string tenantId, string siteId, string buildingId, CancellationToken cancellationToken);

    Task<AdminResult<IReadOnlyList<LocationDto>>> ListLocationsAsync(string tenantId, string siteId, CancellationToken cancellationToken);

    Task<AdminResult<LocationDto>> CreateLocationAsync(string tenantId, string siteId, LocationRequest request, CancellationToken cancellationToken);

    Task<AdminResult<bool>> DeleteLocationAsync(string tenantId, string siteId, string locationId, CancellationToken cancellationToken);

    Task<AdminResult<IReadOnlyList<SystemDto>>> ListSystemsAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>The whole site as the JSON file <c>GET .../sites/{siteId}/export</c> writes.</summary>
    Task<AdminResult<string>> ExportSiteAsync(string tenantId, string siteId, CancellationToken cancellationToken);

    /// <summary>Creates a site from a site file; a file that does not parse or import answers every problem found.</summary>
    Task<AdminResult<SiteImportResultDto>> ImportSiteAsync(string tenantId, string json, CancellationToken cancellationToken);

    Task<AdminResult<IReadOnlyList<DeviceProfileDto>>> ListProfilesAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Uploads a device profile (JSON); every problem the edge's loader finds comes back at once.</summary>
    Task<AdminResult<DeviceProfileDto>> UploadProfileAsync(string tenantId, string json, CancellationToken cancellationToken);

    Task<AdminResult<IReadOnlyList<DeviceDto>>> ListDevicesAsync(string tenantId, string siteId, CancellationToken cancellationToken);

    Task<AdminResult<DeviceDetailDto>> GetDeviceAsync(string tenantId, string siteId, string deviceId, CancellationToken cancellationToken);

    Task<AdminResult<DeviceDetailDto>> CreateDeviceAsync(string tenantId, string siteId, DeviceRequest request, CancellationToken cancellationToken);

    Task<AdminResult<DeviceDetailDto>> UpdateDeviceAsync(string tenantId, string siteId, string deviceId, DeviceRequest request, CancellationToken cancellationToken);

    Task<AdminResult<DevicePointDto>> OverridePointAsync(string tenantId, string siteId, string deviceId, string pointId, PointOverrideDto request, CancellationToken cancellationToken);

    Task<AdminResult<DevicePointDto>> ResetPointAsync(string tenantId, string siteId, string deviceId, string pointId, CancellationToken cancellationToken);

    Task<AdminResult<IReadOnlyList<AlarmRuleDto>>> ListRulesAsync(string tenantId, CancellationToken cancellationToken);

    Task<AdminResult<AlarmRuleDto>> CreateRuleAsync(string tenantId, AlarmRuleRequest request, CancellationToken cancellationToken);

    Task<AdminResult<AlarmRuleDto>> UpdateRuleAsync(string tenantId, string ruleId, AlarmRuleRequest request, CancellationToken cancellationToken);

    Task<AdminResult<AlarmRuleDto>> SetRuleEnabledAsync(string tenantId, string ruleId, bool enabled, CancellationToken cancellationToken);

    Task<AdminResult<bool>> DeleteRuleAsync(string tenantId, string ruleId, CancellationToken cancellationToken);

    Task<AdminResult<IReadOnlyList<UserDto>>> ListUsersAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Creates a user; a null or empty password is generated. The answer carries the password, to show once.</summary>
    Task<AdminResult<CreatedUser>> CreateUserAsync(string tenantId, CreateUserRequest request, CancellationToken cancellationToken);

    Task<AdminResult<UserDto>> UpdateUserAsync(string tenantId, string userName, UpdateUserRequest request, CancellationToken cancellationToken);

    Task<AdminResult<IReadOnlyList<EdgeDto>>> ListEdgesAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Provisions an edge of the site; the answer carries its secret, to show once.</summary>
    Task<AdminResult<EdgeSecret>> ProvisionEdgeAsync(string tenantId, string siteId, ProvisionEdgeRequest request, CancellationToken cancellationToken);

    /// <summary>Issues the edge a new secret (to show once); the old one stops working.</summary>
    Task<AdminResult<EdgeSecret>> RotateEdgeSecretAsync(string tenantId, string siteId, string edgeId, CancellationToken cancellationToken);

    Task<AdminResult<EdgeDto>> SetEdgeEnabledAsync(string tenantId, string siteId, string edgeId, bool enabled, CancellationToken cancellationToken);

    Task<AdminResult<bool>> DeleteEdgeAsync(string tenantId, string siteId, string edgeId, CancellationToken cancellationToken);

    /// <summary>Clients that connected unprovisioned under this tenant's topics, waiting to be adopted.</summary>
    Task<AdminResult<IReadOnlyList<PendingEdgeDto>>> ListPendingEdgesAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Provisions a waiting client as the edge its topics claim; the answer carries its secret, to show once.</summary>
    Task<AdminResult<EdgeSecret>> AdoptPendingEdgeAsync(string tenantId, string clientId, CancellationToken cancellationToken);

    /// <summary>The audit log, newest first; <paramref name="action"/> (e.g. <c>site.create</c>) filters it.</summary>
    Task<AdminResult<IReadOnlyList<AuditEntryDto>>> ListAuditAsync(string tenantId, string? action, int limit, CancellationToken cancellationToken);
}

/// <summary>Which administration areas a person may use, as the cloud's policies decide.</summary>
public sealed record AdminAccess(bool Configuration, bool Equipment, bool AlarmRules, bool Audit)
{
    public static AdminAccess None { get; } = new(false, false, false, false);

    public bool Any => Configuration || Equipment || AlarmRules || Audit;
}
