using System.Globalization;
using Microsoft.Extensions.Localization;
using PropertyEba.Contracts.Api;
using PropertyEba.Dashboard.Localization;

namespace PropertyEba.Dashboard.Components;

/// <summary>How values, names and states are shown to a person in the current language.</summary>
public static class Display
{
    /// <summary>
    /// Chinese unless the person chose English: the same rule the resources follow (their neutral
    /// language is zh-CN), so names from profiles and strings from resources never disagree.
    /// </summary>
    public static bool IsChinese => !CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.OrdinalIgnoreCase);

    public static string Name(string english, string? chinese) => IsChinese && !string.IsNullOrEmpty(chinese) ? chinese : english;

    public static string Value(double? value, string kind, string? unit, IStringLocalizer<DashboardText> t)
    {
        if (value is not { } v)
        {
            return "—";
        }

        if (kind is "state" or "command")
        {
            return v >= 0.5 ? t["Value_On"] : t["Value_Off"];
        }

        var text = v.ToString(Math.Abs(v) >= 1000 ? "#,##0.0" : "0.###", CultureInfo.InvariantCulture);
        return string.IsNullOrEmpty(unit) ? text : $"{text} {unit}";
    }

    /// <summary>A sample's time of day in the site's zone.</summary>
    public static string Time(long? timestampUtcMs, TimeZoneInfo zone) =>
        timestampUtcMs is { } ms ? TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "—";

    /// <summary>A date and time in the site's zone.</summary>
    public static string Time(DateTimeOffset? t, TimeZoneInfo zone) =>
        t is { } v ? TimeZoneInfo.ConvertTime(v, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "—";

    public static string Severity(Severity s, IStringLocalizer<DashboardText> t) => t[$"Severity_{s}"];

    public static string State(AlarmState s, IStringLocalizer<DashboardText> t) => t[$"AlarmState_{s}"];

    public static string Status(TicketStatus s, IStringLocalizer<DashboardText> t) => t[$"TicketStatus_{s}"];

    public static string Quality(string q, IStringLocalizer<DashboardText> t) => t[$"Quality_{q}"];

    public static string System(string s, IStringLocalizer<DashboardText> t) => t[$"System_{s}"].ResourceNotFound ? s : t[$"System_{s}"];

    public static string SeverityClass(Severity s) => s switch
    {
        Contracts.Api.Severity.Emergency => "eba-alarm-emergency",
        Contracts.Api.Severity.Urgent => "eba-alarm-urgent",
        _ => "",
    };
}
