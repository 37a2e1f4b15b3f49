using PropertyEba.Contracts.Api;

namespace PropertyEba.Dashboard.Components.Admin;

/// <summary>An alarm rule form's values. Scope <c>device</c> (a site's device), <c>model</c> (every device of a profile) or <c>tenant</c>.</summary>
public sealed class RuleModel
{
    public string RuleId { get; set; } = "";

    public string Name { get; set; } = "";

    public string NameZh { get; set; } = "";

    public string Scope { get; set; } = "device";

    public string SiteId { get; set; } = "";

    public string DeviceId { get; set; } = "";

    public string Model { get; set; } = "";

    public string PointId { get; set; } = "";

    public string Condition { get; set; } = "AboveLimit";

    public double? Threshold { get; set; }

    public double? Deadband { get; set; }

    public int? OnDelaySeconds { get; set; }

    public string Severity { get; set; } = "Urgent";

    public bool OpensTicket { get; set; } = true;

    public bool Enabled { get; set; } = true;

    public static RuleModel From(AlarmRuleDto r) => new()
    {
        RuleId = r.RuleId,
        Name = r.Name,
        NameZh = r.NameZh ?? "",
        Scope = r.DeviceId is not null ? "device" : r.Model is not null ? "model" : "tenant",
        SiteId = r.SiteId ?? "",
        DeviceId = r.DeviceId ?? "",
        Model = r.Model ?? "",
        PointId = r.PointId,
        Condition = r.Condition,
        Threshold = r.Threshold,
        Deadband = r.Deadband,
        OnDelaySeconds = r.OnDelaySeconds,
        Severity = r.Severity.ToString(),
        OpensTicket = r.OpensTicket,
        Enabled = r.Enabled,
    };

    public AlarmRuleRequest ToRequest() => new(
        SiteModel.Text(RuleId), SiteModel.Text(Name), SiteModel.Text(PointId), Condition, Threshold, SiteModel.Text(NameZh),
        Scope == "device" ? SiteModel.Text(SiteId) : null,
        Scope == "device" ? SiteModel.Text(DeviceId) : null,
        Scope == "model" ? SiteModel.Text(Model) : null,
        Deadband, OnDelaySeconds, Severity, OpensTicket, Enabled);
}
