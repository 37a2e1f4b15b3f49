using PropertyEba.Contracts.Api;

namespace PropertyEba.Dashboard.Components.Admin;

/// <summary>A site form's values; empty text is sent as absent, so the cloud says what is required.</summary>
public sealed class SiteModel
{
    public string SiteId { get; set; } = "";

    public string Name { get; set; } = "";

    public string NameZh { get; set; } = "";

    public string TimeZone { get; set; } = "Asia/Shanghai";

    public string Address { get; set; } = "";

    public double? Latitude { get; set; }

    public double? Longitude { get; set; }

    public double? RadiusM { get; set; }

    public static SiteModel From(SiteDetailDto s) => new()
    {
        SiteId = s.SiteId,
        Name = s.Name,
        NameZh = s.NameZh ?? "",
        TimeZone = s.TimeZone,
        Address = s.Address ?? "",
        Latitude = s.Geofence?.Latitude,
        Longitude = s.Geofence?.Longitude,
        RadiusM = s.Geofence?.RadiusM,
    };

    public SiteRequest ToRequest() => new(
        Text(SiteId), Text(Name), Text(NameZh), Text(TimeZone), Text(Address),
        Latitude is { } lat && Longitude is { } lon && RadiusM is { } r ? new GeofenceDto(lat, lon, r) : null);

    internal static string? Text(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
