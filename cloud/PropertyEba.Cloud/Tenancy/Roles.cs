namespace PropertyEba.Cloud.Tenancy;

/// <summary>
/// The roles a person can hold. Every role but the platform operator's belongs to one tenant (and, where the
/// user is limited to some sites, to those sites only); the platform operator creates tenants and their first
/// administrator and sees no tenant's data (docs/security.md).
/// </summary>
public static class Roles
{
    public const string PlatformOperator = "platform-operator";
    public const string Administrator = "administrator";
    public const string Engineer = "engineer";
    public const string Technician = "technician";
    public const string EnergyManager = "energy-manager";
    public const string Installer = "installer";

    /// <summary>The roles a tenant's users can be given.</summary>
    public static readonly IReadOnlyList<string> TenantRoles = [Administrator, Engineer, Technician, EnergyManager, Installer];

    public static readonly IReadOnlyList<string> All = [PlatformOperator, .. TenantRoles];
}
