using PropertyEba.Contracts.Api;

namespace PropertyEba.Dashboard.Components;

/// <summary>
/// The time zone of each site, so times are shown as the estate's wall clock: the engineer compares
/// them with the clock on the pump-room wall, not with the zone of the server (often UTC in a data
/// centre). A site whose zone this machine does not know falls back to the server's zone.
/// </summary>
public sealed class SiteTimeZones
{
    /// <summary>Before the sites are loaded: every time in the server's zone.</summary>
    public static readonly SiteTimeZones ServerLocal = new([]);

    private readonly Dictionary<string, TimeZoneInfo> _zones;

    public SiteTimeZones(IEnumerable<SiteDto> sites) =>
        _zones = sites.ToDictionary(s => s.SiteId, s => Find(s.TimeZone), StringComparer.Ordinal);

    public TimeZoneInfo Of(string? siteId) =>
        siteId is not null && _zones.TryGetValue(siteId, out var zone) ? zone : TimeZoneInfo.Local;

    private static TimeZoneInfo Find(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Local;
}
