namespace PropertyEba.Contracts.Api;

/// <summary>A property company served by the platform.</summary>
public sealed record TenantDto(string TenantId, string Name, string? NameZh, DateTimeOffset CreatedUtc);

/// <summary>A new tenant: id (slug: letters, digits, '-', '_'), name in English and Chinese.</summary>
public sealed record CreateTenantRequest(string? TenantId, string? Name, string? NameZh = null);

/// <summary>New names of a tenant; its id never changes.</summary>
public sealed record RenameTenantRequest(string? Name, string? NameZh = null);

/// <summary>The area of a site: a circle, centre in WGS-84 degrees, radius in metres.</summary>
public sealed record GeofenceDto(double Latitude, double Longitude, double RadiusM);

/// <summary>An estate (管理区) as its administrators edit it.</summary>
public sealed record SiteDetailDto(string SiteId, string Name, string? NameZh, string TimeZone, string? Address, GeofenceDto? Geofence, DateTimeOffset CreatedUtc);

/// <summary>A new or changed site. <paramref name="TimeZone"/> is an IANA id such as <c>Asia/Shanghai</c>; the id is ignored on update.</summary>
public sealed record SiteRequest(string? SiteId, string? Name, string? NameZh = null, string? TimeZone = null, string? Address = null, GeofenceDto? Geofence = null);

/// <summary>A building of a site.</summary>
public sealed record BuildingDto(string SiteId, string BuildingId, string Name, string? NameZh);

/// <summary>A new or changed building; the id is ignored on update.</summary>
public sealed record BuildingRequest(string? BuildingId, string? Name, string? NameZh = null);

/// <summary>An equipment room of a site, in one of its buildings or on the site itself.</summary>
/// <remarks>Kind: <c>power-room</c> (配电房), <c>pump-room</c> (水泵房), <c>fire-control-room</c> (消防控制室) or <c>other</c>.</remarks>
public sealed record LocationDto(string SiteId, string LocationId, string? BuildingId, string Kind, string Name, string? NameZh);

/// <summary>A new or changed location; the id is ignored on update.</summary>
public sealed record LocationRequest(string? LocationId, string? Kind, string? Name, string? NameZh = null, string? BuildingId = null);

/// <summary>An equipment category: the built-in <c>power</c> (供配电), <c>water</c> (给排水), <c>fire</c> (消防), <c>hvac</c>, <c>elevator</c>, or one the tenant added.</summary>
public sealed record SystemDto(string SystemId, string Name, string? NameZh, bool BuiltIn);

/// <summary>A system a tenant adds.</summary>
public sealed record SystemRequest(string? SystemId, string? Name, string? NameZh = null);

/// <summary>One version of a device profile (an equipment model's register map).</summary>
/// <remarks>BuiltIn: Shipped with the product (edge/profiles), read-only and available to every tenant.</remarks>
public sealed record DeviceProfileDto(
    string ProfileId, int Version, string Name, string? NameZh, string? Manufacturer, string System, bool BuiltIn, DateTimeOffset? UploadedUtc,
    IReadOnlyList<int> Versions, IReadOnlyList<ProfilePointDto> Points);

/// <summary>A point a profile defines.</summary>
public sealed record ProfilePointDto(string PointId, string Name, string? NameZh, string Kind, string? Unit, bool Writable);

/// <summary>
/// How the edge reaches a device: <c>tcp</c> with <paramref name="Host"/> and <paramref name="Port"/>, or <c>serial</c>
/// with <paramref name="SerialPort"/> (e.g. <c>/dev/ttyUSB0</c>); the Modbus unit id either way.
/// </summary>
public sealed record DeviceConnectionDto(string? Kind, string? Host = null, int? Port = null, string? SerialPort = null, int? UnitId = null);

/// <summary>The asset ledger (台账) of a device.</summary>
public sealed record DeviceLedgerDto(
    string? AssetNumber = null, string? Manufacturer = null, string? ModelNumber = null, string? SerialNumber = null,
    DateOnly? InstalledOn = null, DateOnly? CertificateExpiresOn = null);

/// <summary>
/// A new or changed device. On update the id is ignored and <paramref name="ProfileVersion"/> moves the device to another
/// version of the same profile (null: keep the version it has); on create null means the latest.
/// </summary>
public sealed record DeviceRequest(
    string? DeviceId, string? Name, string? ProfileId, int? ProfileVersion = null, DeviceConnectionDto? Connection = null,
    string? NameZh = null, string? LocationId = null, string? SystemId = null, DeviceLedgerDto? Ledger = null);

/// <summary>A device as its administrators edit it, with its points.</summary>
public sealed record DeviceDetailDto(
    string SiteId, string DeviceId, string Name, string? NameZh, string ProfileId, int ProfileVersion, DeviceConnectionDto Connection,
    string? LocationId, string SystemId, DeviceLedgerDto Ledger, IReadOnlyList<DevicePointDto> Points);

/// <summary>A point of a device: what its profile says, with the device's override applied.</summary>
public sealed record DevicePointDto(string PointId, string Name, string? NameZh, string Kind, string? Unit, bool Enabled, double? Deadband, PointOverrideDto? Override);

/// <summary>What a device changes of one of its profile's points; null fields keep the profile's value.</summary>
public sealed record PointOverrideDto(string? Name = null, string? NameZh = null, string? Unit = null, bool? Enabled = null, double? Deadband = null);

/// <summary>
/// A new or changed alarm rule. Scope: <paramref name="SiteId"/> + <paramref name="DeviceId"/> for one device's point,
/// <paramref name="Model"/> for a point of every device of a profile, neither for every device of the tenant.
/// </summary>
/// <remarks>Condition: <c>BelowLimit</c>, <c>AboveLimit</c>, <c>HighHighLimit</c>, <c>LowLowLimit</c>, <c>StateEquals</c>, <c>BitSet</c>, <c>RateOfChange</c>, <c>NoData</c>, <c>CommunicationLost</c> or <c>EdgeOffline</c>.</remarks>
/// <remarks>Severity: <c>Emergency</c>, <c>Urgent</c>, <c>Normal</c> or <c>Notice</c>.</remarks>
public sealed record AlarmRuleRequest(
    string? RuleId, string? Name, string? PointId, string? Condition, double? Threshold,
    string? NameZh = null, string? SiteId = null, string? DeviceId = null, string? Model = null,
    double? Deadband = null, int? OnDelaySeconds = null, string? Severity = null, bool? OpensTicket = null, bool? Enabled = null,
    int? OffDelaySeconds = null, int? ReAlarmSeconds = null, bool? Latched = null, string? SuppressedByRuleId = null);

/// <summary>
/// A whole site in one file: what <c>GET .../sites/{siteId}/export</c> writes and <c>POST .../sites/import</c> reads.
/// Devices reference profiles by id and version; rules are those of the site (their site id is the imported site's).
/// </summary>
public sealed record SiteFileDto(
    int FormatVersion, SiteRequest Site, IReadOnlyList<BuildingRequest>? Buildings, IReadOnlyList<LocationRequest>? Locations,
    IReadOnlyList<SiteFileDeviceDto>? Devices, IReadOnlyList<AlarmRuleRequest>? Rules)
{
    /// <summary>The format this version of the service writes and reads.</summary>
    public const int CurrentFormat = 1;
}

/// <summary>A device in a site file, with the overrides of its points.</summary>
public sealed record SiteFileDeviceDto(DeviceRequest Device, IReadOnlyList<SiteFilePointOverrideDto>? PointOverrides);

/// <summary>An override of one point in a site file.</summary>
public sealed record SiteFilePointOverrideDto(string PointId, PointOverrideDto Override);

/// <summary>What an import created.</summary>
public sealed record SiteImportResultDto(string SiteId, int Buildings, int Locations, int Devices, int Points, int Rules);
