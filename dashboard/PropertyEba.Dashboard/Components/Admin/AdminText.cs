using Microsoft.Extensions.Localization;
using PropertyEba.Dashboard.Localization;

namespace PropertyEba.Dashboard.Components.Admin;

/// <summary>Labels of the administration pages that depend on a value: field names, location kinds, roles.</summary>
public static class AdminText
{
    /// <summary>
    /// The label of a field the cloud named (<c>geofence.radiusM</c>, <c>devices[2].connection.port</c>): the label of its
    /// last part where there is one (<c>Field_radiusM</c>), else the path as the cloud gave it.
    /// </summary>
    public static string Field(IStringLocalizer<DashboardText> t, string field)
    {
        var last = field;
        var dot = last.LastIndexOf('.');
        if (dot >= 0)
        {
            last = last[(dot + 1)..];
        }

        var bracket = last.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            last = last[..bracket];
        }

        var label = t["Field_" + last];
        return label.ResourceNotFound ? field : last == field ? label.Value : $"{label.Value} ({field})";
    }

    public static string LocationKind(IStringLocalizer<DashboardText> t, string kind) => Or(t["LocationKind_" + kind], kind);

    public static string Role(IStringLocalizer<DashboardText> t, string role) => Or(t["Role_" + role], role);

    public static readonly IReadOnlyList<string> LocationKinds = ["power-room", "pump-room", "fire-control-room", "other"];

    /// <summary>The roles an administrator can give (the cloud's <c>Roles.TenantRoles</c>; it refuses any other).</summary>
    public static readonly IReadOnlyList<string> TenantRoles = ["administrator", "engineer", "technician", "energy-manager", "installer"];

    public static readonly IReadOnlyList<string> Conditions = ["AboveLimit", "BelowLimit", "StateEquals"];

    public static readonly IReadOnlyList<string> Severities = ["Emergency", "Urgent", "Normal"];

    /// <summary>The time zones the picker offers: the host's IANA ids, Asia/Shanghai first as most estates use it.</summary>
    public static IReadOnlyList<string> TimeZones { get; } =
        [.. new[] { "Asia/Shanghai" }.Concat(TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id != "Asia/Shanghai").Order(StringComparer.Ordinal))];

    private static string Or(LocalizedString s, string fallback) => s.ResourceNotFound ? fallback : s.Value;
}
