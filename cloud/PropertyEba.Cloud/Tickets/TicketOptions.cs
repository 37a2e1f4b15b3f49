using Microsoft.Extensions.Options;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tickets;

/// <summary>Section <c>Tickets</c>: the time standards (defaults from the repair standards: 急修15分钟内到达现场, 三分钟内赶到现场).</summary>
public sealed class TicketOptions
{
    public const string SectionName = "Tickets";

    public TimeSpan EmergencyOnSite { get; set; } = TimeSpan.FromMinutes(3);
    public TimeSpan UrgentOnSite { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan NormalOnSite { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan OnSiteStandard(Severity priority) => priority switch
    {
        Severity.Emergency => EmergencyOnSite,
        Severity.Urgent => UrgentOnSite,
        _ => NormalOnSite,
    };
}

internal sealed class TicketOptionsValidator : IValidateOptions<TicketOptions>
{
    public ValidateOptionsResult Validate(string? name, TicketOptions o)
    {
        var failures = new List<string>();
        foreach (var (field, value) in new[] { (nameof(o.EmergencyOnSite), o.EmergencyOnSite), (nameof(o.UrgentOnSite), o.UrgentOnSite), (nameof(o.NormalOnSite), o.NormalOnSite) })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{TicketOptions.SectionName}:{field} is {value}; it must be a positive time span such as 00:15:00.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
