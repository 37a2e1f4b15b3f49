using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Identity;

/// <summary>Section <c>Identity</c>: the first platform operator, password rules and lock-out, and who may open the live hub.</summary>
public sealed class EbaIdentityOptions
{
    public const string SectionName = "Identity";

    /// <summary>
    /// The platform operator created at the first start, who creates tenants and their first administrators.
    /// Required without the demo estate until one exists; never shipped with a value.
    /// </summary>
    public InitialUserOptions PlatformOperator { get; set; } = new();

    /// <summary>Shortest password accepted (12 by default; at least 8).</summary>
    public int MinimumPasswordLength { get; set; } = 12;

    /// <summary>Failed sign-ins in a row after which the account is locked.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Browser origins (scheme://host:port) besides the service's own that may open the live hub and the dashboard's
    /// circuit, e.g. a reverse proxy's public address. A request from any other origin is refused (cross-site
    /// WebSocket hijacking); programs that send no Origin header are not affected.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Set by the demo estate: generate a random platform operator when none exists, instead of refusing to start.</summary>
    internal bool GenerateMissingPlatformOperator { get; set; }
}

public sealed class InitialUserOptions
{
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

internal sealed class EbaIdentityOptionsValidator : IValidateOptions<EbaIdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, EbaIdentityOptions o)
    {
        var s = EbaIdentityOptions.SectionName;
        var failures = new List<string>();
        if (o.MinimumPasswordLength is < 8 or > 128)
        {
            failures.Add($"{s}:MinimumPasswordLength is {o.MinimumPasswordLength}; allowed 8..128.");
        }

        if (o.MaxFailedSignIns is < 1 or > 100)
        {
            failures.Add($"{s}:MaxFailedSignIns is {o.MaxFailedSignIns}; allowed 1..100.");
        }

        if (o.LockoutDuration < TimeSpan.FromMinutes(1) || o.LockoutDuration > TimeSpan.FromDays(1))
        {
            failures.Add($"{s}:LockoutDuration is {o.LockoutDuration}; allowed 00:01:00..1.00:00:00.");
        }

        var op = o.PlatformOperator;
        if (string.IsNullOrWhiteSpace(op.UserName) != string.IsNullOrEmpty(op.Password))
        {
            failures.Add($"{s}:PlatformOperator needs both UserName and Password (or neither, once an operator exists).");
        }

        if (op.Password is { Length: > 0 } password && password.Length < o.MinimumPasswordLength)
        {
            failures.Add($"{s}:PlatformOperator:Password is {password.Length} characters long; at least {o.MinimumPasswordLength} are required.");
        }

        foreach (var origin in o.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
            {
                failures.Add($"{s}:AllowedOrigins holds '{origin}', which is not an origin; use scheme://host[:port], e.g. https://eba.example.com.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
