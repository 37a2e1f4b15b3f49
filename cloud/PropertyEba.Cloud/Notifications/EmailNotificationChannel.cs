using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Notifications;

/// <summary>
/// E-mail over SMTP (MailKit) to the address in the recipient's preferences, when they turned e-mail on and the
/// server has <c>Notifications:Smtp:Host</c>. One connection per message: notifications are few, and a fresh
/// connection never trips over a server that dropped an idle one.
/// </summary>
internal sealed class EmailNotificationChannel(IDbContextFactory<EbaDbContext> contexts, IOptions<NotificationOptions> options) : INotificationChannel
{
    public const string ChannelName = "email";

    public string Name => ChannelName;

    public async Task<IReadOnlyList<string>> AddressesAsync(NotificationRequest request, CancellationToken ct)
    {
        if (options.Value.Smtp.Host is null)
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var email = await db.Set<NotificationPreference>()
            .Where(p => p.TenantId == request.TenantId && p.UserId == request.RecipientUserId && p.EmailEnabled && p.Email != null)
            .Select(p => p.Email)
            .FirstOrDefaultAsync(ct);
        return email is null ? [] : [email];
    }

    public async Task SendAsync(NotificationMessage message, CancellationToken ct)
    {
        var o = options.Value;
        var smtp = o.Smtp;
        if (smtp.Host is null)
        {
            throw new NotificationRejectedException("e-mail is not configured on this server (Notifications:Smtp:Host).");
        }

        if (!MailboxAddress.TryParse(message.Address, out var to))
        {
            throw new NotificationRejectedException($"'{message.Address}' is not an e-mail address.");
        }

        using var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(smtp.From));
        mime.To.Add(to);
        mime.Subject = message.Subject;
        mime.Headers.Add("X-PropertyEba-Kind", message.Kind);
        mime.Headers.Add("X-PropertyEba-Delivery", message.DeliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message.TicketId is { } ticket)
        {
            mime.Headers.Add("X-PropertyEba-Ticket", ticket.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var link = NotificationLinks.Absolute(o.PublicBaseUrl, message.Link);
        mime.Body = new TextPart("plain") { Text = link is null ? message.Body : $"{message.Body}\n\n{link}\n" };

        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, Enum.Parse<SecureSocketOptions>(smtp.Security), ct);
            if (smtp.UserName is not null)
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", ct);
            }

            await client.SendAsync(mime, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted && (int)ex.StatusCode >= 500)
        {
            // A permanent (5xx) refusal of the mailbox: sending again would be refused again.
            throw new NotificationRejectedException($"the mail server refused {message.Address}: {ex.Message}", ex);
        }
    }
}

/// <summary>
/// Links in messages that leave the dashboard (e-mail, push, webhooks) must be absolute to be followed. (Not
/// Uri.TryCreate: on Linux it takes "/technician" for an absolute file: URI.)
/// </summary>
internal static class NotificationLinks
{
    public static string? Absolute(string? baseUrl, string? link) =>
        link is null ? null
        : baseUrl is null || link.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || link.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? link
        : baseUrl.TrimEnd('/') + "/" + link.TrimStart('/');
}
