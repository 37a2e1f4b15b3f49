using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Assets;

/// <summary>An estate (管理区) of a tenant.</summary>
public sealed class Site : ISiteOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SiteId { get; set; }
    /// <summary>The estate's name in English, or the only name it has.</summary>
    public required string Name { get; set; }

    /// <summary>The estate's name in Chinese, if any: shown to readers of Chinese instead of <see cref="Name"/>.</summary>
    public string? NameZh { get; set; }
    public string TimeZone { get; set; } = "Asia/Shanghai";
}

/// <summary>One piece of equipment, an instance of a device profile.</summary>
public sealed class Device : ISiteOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SiteId { get; set; }
    public required string DeviceId { get; set; }
    public required string Model { get; set; }
    public required string Name { get; set; }
    public string? NameZh { get; set; }
    public required string System { get; set; }

    /// <summary>Equipment room: power room, pump room, fire control room; in English, or as the installer typed it.</summary>
    public string? Location { get; set; }

    /// <summary>The equipment room in Chinese, if any: shown to readers of Chinese instead of <see cref="Location"/>.</summary>
    public string? LocationZh { get; set; }

    /// <summary>How the edge reaches it, e.g. <c>tcp://127.0.0.1:1502 unit 1</c>.</summary>
    public string? Connection { get; set; }
}

/// <summary>One signal of a device, copied from its profile when the device is registered.</summary>
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
}
