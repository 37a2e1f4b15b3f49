using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Assets;

/// <summary>
/// A property company. Not <see cref="ITenantOwned"/>: it is the owner, managed by the platform operator, who sees no
/// tenant's rows; tenant routes never read it.
/// </summary>
public sealed class Tenant
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string Name { get; set; }
    public string? NameZh { get; set; }
    public DateTimeOffset CreatedUtc { get; set; }
}

/// <summary>An estate (管理区) of a tenant.</summary>
public sealed class Site : ISiteOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SiteId { get; set; }
    public required string Name { get; set; }
    public string? NameZh { get; set; }

    /// <summary>IANA time zone id: daily reviews and reports follow the site's day.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";
    public string? Address { get; set; }

    /// <summary>Geofence centre (WGS-84) and radius; all three set or none.</summary>
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public double? GeofenceRadiusM { get; set; }
    public DateTimeOffset CreatedUtc { get; set; }
}

/// <summary>A building of a site.</summary>
public sealed class Building : ISiteOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SiteId { get; set; }
    public required string BuildingId { get; set; }
    public required string Name { get; set; }
    public string? NameZh { get; set; }
}

/// <summary>An equipment room (power room, pump room, fire control room) of a site, in a building or not.</summary>
public sealed class Location : ISiteOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SiteId { get; set; }
    public required string LocationId { get; set; }
    public string? BuildingId { get; set; }
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public string? NameZh { get; set; }
}

/// <summary>An equipment category a tenant added beside the built-in ones (<see cref="AssetSystems.BuiltIn"/>).</summary>
public sealed class AssetSystem : ITenantOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SystemId { get; set; }
    public required string Name { get; set; }
    public string? NameZh { get; set; }
}

/// <summary>One uploaded version of a tenant's device profile, kept as the JSON the edge reads.</summary>
public sealed class DeviceProfileVersion : ITenantOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }

    /// <summary>The profile's model id.</summary>
    public required string ProfileId { get; set; }
    public int Version { get; set; }
    public required string Json { get; set; }
    public DateTimeOffset UploadedUtc { get; set; }
}

/// <summary>One piece of equipment, an instance of one version of a device profile.</summary>
public sealed class Device : ISiteOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SiteId { get; set; }
    public required string DeviceId { get; set; }

    /// <summary>The profile id (model); the column keeps its old name so the alarm engine's model scope reads it unchanged.</summary>
    public required string Model { get; set; }

    /// <summary>The profile version the device was created with or last moved to (built-ins have version 1).</summary>
    public int ProfileVersion { get; set; } = 1;
    public required string Name { get; set; }
    public string? NameZh { get; set; }

    /// <summary>System code: a built-in one or one of the tenant's.</summary>
    public required string System { get; set; }

    /// <summary>The location (equipment room) id, if the device has one.</summary>
    public string? Location { get; set; }

    /// <summary><c>tcp</c> or <c>serial</c>.</summary>
    public string ConnectionKind { get; set; } = "tcp";
    public string? Host { get; set; }
    public int? Port { get; set; }
    public string? SerialPort { get; set; }
    public int UnitId { get; set; } = 1;

    /// <summary>How the edge reaches it, as one line, e.g. <c>tcp://127.0.0.1:1502 unit 1</c>.</summary>
    public string? Connection { get; set; }

    public string? AssetNumber { get; set; }
    public string? Manufacturer { get; set; }
    public string? ModelNumber { get; set; }
    public string? SerialNumber { get; set; }
    public DateOnly? InstalledOn { get; set; }
    public DateOnly? CertificateExpiresOn { get; set; }
}

/// <summary>
/// One signal of a device, copied from its profile when the device is created or moved to another profile version.
/// Name, unit, enabled and deadband are the effective values (the override's where it has one, else the profile's),
/// so readers need not know about overrides; the override columns keep what the device changed, so a move re-applies it.
/// </summary>
public sealed class Point : ISiteOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SiteId { get; set; }
    public required string DeviceId { get; set; }
    public required string PointId { get; set; }
    public required string Name { get; set; }
    public string? NameZh { get; set; }
    public required string Kind { get; set; }
    public string? Unit { get; set; }
    public int SortOrder { get; set; }
    public bool Enabled { get; set; } = true;
    public double? Deadband { get; set; }

    public string? NameOverride { get; set; }
    public string? NameZhOverride { get; set; }
    public string? UnitOverride { get; set; }
    public bool? EnabledOverride { get; set; }
    public double? DeadbandOverride { get; set; }

    public bool HasOverride => NameOverride is not null || NameZhOverride is not null || UnitOverride is not null || EnabledOverride is not null || DeadbandOverride is not null;
}
