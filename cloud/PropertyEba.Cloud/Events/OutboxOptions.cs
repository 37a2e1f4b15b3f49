using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Events;

/// <summary>How the <see cref="OutboxDispatcher"/> polls and backs off.</summary>
public sealed class OutboxOptions
{
    /// <summary>How often the dispatcher looks without being woken: the fallback for a wake-up that was lost (another process wrote).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait before the first retry of a failed handler; doubled after each failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most pending events read per round.</summary>
    public int BatchSize { get; set; } = 200;
}

internal sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions o)
    {
        var errors = new List<string>();
        if (o.PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"Outbox PollInterval must be positive; it is {o.PollInterval}.");
        }

        if (o.FirstBackoff <= TimeSpan.Zero || o.MaxBackoff < o.FirstBackoff)
        {
            errors.Add($"Outbox FirstBackoff must be positive and at most MaxBackoff; they are {o.FirstBackoff} and {o.MaxBackoff}.");
        }

        if (o.BatchSize is < 1 or > 10_000)
        {
            errors.Add($"Outbox BatchSize must be 1 to 10000; it is {o.BatchSize}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
