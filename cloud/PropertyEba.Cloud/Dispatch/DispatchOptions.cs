using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Dispatch;

/// <summary>Section <c>Dispatch</c>: reminders and the escalation chain's delays, and how often the clock looks.</summary>
public sealed class DispatchOptions
{
    public const string SectionName = "Dispatch";

    /// <summary>Tell the assignee again this often until they accept.</summary>
    public TimeSpan RemindEvery { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>After the time to accept is up, this much later the supervisor is told.</summary>
    public TimeSpan SupervisorAfter { get; set; } = TimeSpan.Zero;

    /// <summary>After the supervisor was told, this much later the manager is.</summary>
    public TimeSpan ManagerAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the dispatch clock checks the open tickets (seconds matter for the 3-minute emergency standard).</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromSeconds(5);
}

internal sealed class DispatchOptionsValidator : IValidateOptions<DispatchOptions>
{
    public ValidateOptionsResult Validate(string? name, DispatchOptions o)
    {
        var failures = new List<string>();
        if (o.RemindEvery < TimeSpan.FromSeconds(10))
        {
            failures.Add($"{DispatchOptions.SectionName}:RemindEvery is {o.RemindEvery}; at least 00:00:10.");
        }

        if (o.SupervisorAfter < TimeSpan.Zero || o.ManagerAfter < TimeSpan.Zero)
        {
            failures.Add($"{DispatchOptions.SectionName}:SupervisorAfter and ManagerAfter must not be negative.");
        }

        if (o.CheckEvery < TimeSpan.FromMilliseconds(100) || o.CheckEvery > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{DispatchOptions.SectionName}:CheckEvery is {o.CheckEvery}; allowed 00:00:00.1 to 00:01:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
