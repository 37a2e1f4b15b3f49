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

    // How long the technician may take to accept a dispatched ticket before it is a breach (and escalates).
    public TimeSpan EmergencyAccept { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan UrgentAccept { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan NormalAccept { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Largest photo of a repair accepted, in bytes (a phone camera's JPEG is 2–5 MB).</summary>
    public long MaxPhotoBytes { get; set; } = 8 * 1024 * 1024;

    public TimeSpan AcceptStandard(Severity priority) => priority switch
    {
        Severity.Emergency => EmergencyAccept,
        Severity.Urgent => UrgentAccept,
        _ => NormalAccept,
    };

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
        foreach (var (field, value) in new[] { (nameof(o.EmergencyOnSite), o.EmergencyOnSite), (nameof(o.UrgentOnSite), o.UrgentOnSite), (nameof(o.NormalOnSite), o.NormalOnSite),
            (nameof(o.EmergencyAccept), o.EmergencyAccept), (nameof(o.UrgentAccept), o.UrgentAccept), (nameof(o.NormalAccept), o.NormalAccept) })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{TicketOptions.SectionName}:{field} is {value}; it must be a positive time span such as 00:15:00.");
            }
        }

        if (o.MaxPhotoBytes is < 1024 or > 100 * 1024 * 1024)
        {
            failures.Add($"{TicketOptions.SectionName}:MaxPhotoBytes is {o.MaxPhotoBytes}; allowed 1024 to {100 * 1024 * 1024}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
