using Microsoft.Extensions.Options;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.DemoEstate;

/// <summary>
/// Section <c>DemoEstate</c>: a simulated estate polled by a real edge agent inside the cloud process,
/// so one command shows the whole system. On by default; set Enabled=false in production.
/// </summary>
public sealed class DemoEstateOptions
{
    public const string SectionName = "DemoEstate";

    public bool Enabled { get; set; } = true;
    public string TenantId { get; set; } = "demo";
    public string SiteId { get; set; } = "sunny-garden";
    public string SiteName { get; set; } = "Sunny Garden";

    /// <summary>The estate's name in Chinese, shown to readers of Chinese; empty for none.</summary>
    public string? SiteNameZh { get; set; } = "阳光花园";
    public string TimeZone { get; set; } = "Asia/Shanghai";
    public string EdgeId { get; set; } = "edge-1";

    /// <summary>A sample estate name of the simulators (<c>demo</c>) or a path to an estate file.</summary>
    public string Estate { get; set; } = "demo";
    public int Seed { get; set; } = 42;

    /// <summary>Simulated seconds per real second.</summary>
    public double Speed { get; set; } = 1.0;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// On-delay of the default "edge offline" rule, rounded up to whole seconds: how long an edge may be away (a
    /// restart, a short uplink drop) before it is an alarm with a repair ticket. It seeds the rule when the rule is
    /// created; the stored rule is what counts after that.
    /// </summary>
    public TimeSpan EdgeOfflineDelay { get; set; } = TimeSpan.FromMinutes(2);
}

internal sealed class DemoEstateOptionsValidator : IValidateOptions<DemoEstateOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoEstateOptions o)
    {
        if (!o.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        foreach (var (field, value) in new[] { (nameof(o.TenantId), o.TenantId), (nameof(o.SiteId), o.SiteId), (nameof(o.EdgeId), o.EdgeId) })
        {
            if (!MqttTopics.IsId(value))
            {
                failures.Add($"{DemoEstateOptions.SectionName}:{field} '{value}' is not an id: use 1..64 letters, digits, '-' or '_'.");
            }
        }

        if (o.Speed is <= 0 or > 1000)
        {
            failures.Add($"{DemoEstateOptions.SectionName}:Speed is {o.Speed}; allowed (0, 1000].");
        }

        if (o.PollInterval < TimeSpan.FromMilliseconds(50) || o.PollInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{DemoEstateOptions.SectionName}:PollInterval is {o.PollInterval}; allowed 00:00:00.05 to 00:10:00.");
        }

        if (o.EdgeOfflineDelay < TimeSpan.FromSeconds(1) || o.EdgeOfflineDelay > TimeSpan.FromDays(1))
        {
            failures.Add($"{DemoEstateOptions.SectionName}:EdgeOfflineDelay is {o.EdgeOfflineDelay}; allowed 00:00:01 to 1.00:00:00 (a shorter delay would open a ticket at every restart of an edge).");
        }

        if (string.IsNullOrWhiteSpace(o.Estate))
        {
            failures.Add($"{DemoEstateOptions.SectionName}:Estate is empty; give 'demo' or the path of an estate file.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
