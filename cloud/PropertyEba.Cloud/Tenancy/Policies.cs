namespace PropertyEba.Cloud.Tenancy;

/// <summary>
/// Authorization policies by what they allow, so an endpoint says what it needs rather than which roles. Which role
/// holds which policy is decided once, in <see cref="IdentityServiceCollectionExtensions"/>, and documented in
/// docs/security.md.
/// </summary>
public static class Policies
{
    /// <summary>Any signed-in user of the tenant in the route: read its sites, devices, values, alarms and tickets.</summary>
    public const string TenantMember = "tenant-member";

    /// <summary>Change the tenant's configuration: sites, buildings, locations, systems, users.</summary>
    public const string ManageConfiguration = "manage-configuration";

    /// <summary>Commission equipment: device profiles, devices, points, edges (administrators and installers).</summary>
    public const string ManageEquipment = "manage-equipment";

    /// <summary>Create, edit, enable and disable alarm rules (administrators and engineers).</summary>
    public const string ManageAlarmRules = "manage-alarm-rules";

    /// <summary>Send commands to devices: fan on/off, setpoints (administrators and engineers).</summary>
    public const string SendCommands = "send-commands";

    /// <summary>Acknowledge and handle alarms (administrators, engineers and technicians).</summary>
    public const string OperateAlarms = "operate-alarms";

    /// <summary>Move repair tickets on (administrators, engineers and technicians).</summary>
    public const string WorkTickets = "work-tickets";

    /// <summary>Read the audit log (administrators).</summary>
    public const string ReadAudit = "read-audit";

    /// <summary>Create tenants and their first administrator; read platform-wide counters (platform operators).</summary>
    public const string OperatePlatform = "operate-platform";
}
