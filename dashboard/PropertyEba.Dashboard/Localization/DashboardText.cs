namespace PropertyEba.Dashboard.Localization;

/// <summary>Marker type for the dashboard's strings: DashboardText.resx (zh-CN, neutral) and DashboardText.en.resx.</summary>
public sealed class DashboardText;
