using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Notifications;

/// <summary>Section <c>Notifications</c>: retries, and the channels' servers (docs/notifications.md).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Attempts per delivery before it is recorded as failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failure; doubled after each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often pending deliveries are looked for without a wake-up (after a restart, for retries).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The dashboard's public address, for links in e-mails and pushes; null leaves links relative.</summary>
    public string? PublicBaseUrl { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    public WebPushOptions WebPush { get; set; } = new();

    public WebhookOptions Webhooks { get; set; } = new();

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1, after <paramref name="attempts"/> failures.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var delay = FirstRetryDelay * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }
}

/// <summary>The mail server e-mails go through; no <see cref="Host"/> = no e-mail channel.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;

    /// <summary>None, StartTls (when the server offers it) or Tls (implicit, port 465).</summary>
    public string Security { get; set; } = "StartTlsWhenAvailable";
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "PropertyEba <noreply@propertyeba.local>";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Web Push: the VAPID subject (a mailto: or https: contact the push services may use).</summary>
public sealed class WebPushOptions
{
    public bool Enabled { get; set; } = true;
    public string Subject { get; set; } = "mailto:admin@propertyeba.local";

    /// <summary>How long a push service keeps a message for a phone that is off.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Signed webhooks: how long a receiver should accept a signature after its timestamp.</summary>
public sealed class WebhookOptions
{
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}

internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    private static readonly string[] Securities = ["None", "StartTls", "StartTlsWhenAvailable", "Tls"];

    public ValidateOptionsResult Validate(string? name, NotificationOptions o)
    {
        var s = NotificationOptions.SectionName;
        var failures = new List<string>();
        if (o.MaxAttempts is < 1 or > 100)
        {
            failures.Add($"{s}:MaxAttempts is {o.MaxAttempts}; allowed 1..100.");
        }

        foreach (var (field, value) in new[] { ("FirstRetryDelay", o.FirstRetryDelay), ("MaxRetryDelay", o.MaxRetryDelay), ("PollInterval", o.PollInterval), ("Webhooks:ReplayWindow", o.Webhooks.ReplayWindow), ("Webhooks:Timeout", o.Webhooks.Timeout), ("Smtp:Timeout", o.Smtp.Timeout), ("WebPush:TimeToLive", o.WebPush.TimeToLive) })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{s}:{field} is {value}; it must be a positive time span such as 00:00:05.");
            }
        }

        if (o.MaxRetryDelay < o.FirstRetryDelay)
        {
            failures.Add($"{s}:MaxRetryDelay ({o.MaxRetryDelay}) is shorter than FirstRetryDelay ({o.FirstRetryDelay}); it must be at least as long.");
        }

        if (o.PublicBaseUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
        {
            failures.Add($"{s}:PublicBaseUrl '{url}' is not an absolute http(s) URL such as https://eba.example.com.");
        }

        if (o.Smtp.Port is < 1 or > 65535)
        {
            failures.Add($"{s}:Smtp:Port is {o.Smtp.Port}; allowed 1..65535.");
        }

        if (!Securities.Contains(o.Smtp.Security, StringComparer.Ordinal))
        {
            failures.Add($"{s}:Smtp:Security is '{o.Smtp.Security}'; allowed {string.Join(", ", Securities)}.");
        }

        if (o.Smtp.Host is not null && !MimeKit.MailboxAddress.TryParse(o.Smtp.From, out _))
        {
            failures.Add($"{s}:Smtp:From '{o.Smtp.From}' is not a mailbox such as 'PropertyEba <noreply@example.com>'.");
        }

        if (!(o.WebPush.Subject.StartsWith("mailto:", StringComparison.Ordinal) || o.WebPush.Subject.StartsWith("https://", StringComparison.Ordinal)))
        {
            failures.Add($"{s}:WebPush:Subject '{o.WebPush.Subject}' must be a mailto: or https: contact.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
