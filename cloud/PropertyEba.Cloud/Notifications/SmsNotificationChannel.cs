using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Notifications;

/// <summary>
/// The seam an SMS vendor plugs into (docs/notifications.md): register one implementation with
/// <c>services.AddSingleton&lt;ISmsSender, MyVendorSender&gt;()</c> after AddNotifications. None ships: which vendor
/// (Aliyun, Tencent Cloud, Twilio…) is the operator's contract, not the code's.
/// </summary>
public interface ISmsSender
{
    /// <summary>
    /// Sends <paramref name="text"/> to <paramref name="number"/> (E.164). Returns when the vendor accepted it; throws
    /// <see cref="NotificationRejectedException"/> for a number the vendor refuses for good, anything else to be retried.
    /// </summary>
    Task SendAsync(string number, string text, CancellationToken ct);
}

/// <summary>SMS through the registered <see cref="ISmsSender"/> (the last one registered wins), to the recipient's number when they turned SMS on; without a sender it sends nothing.</summary>
internal sealed class SmsNotificationChannel(IDbContextFactory<EbaDbContext> contexts, IEnumerable<ISmsSender> senders) : INotificationChannel
{
    public const string ChannelName = "sms";

    /// <summary>One SMS segment of Chinese text holds 70 characters; longer ones are cut rather than split, since SMS is the wake-up call, not the record.</summary>
    public const int MaxLength = 70;

    public string Name => ChannelName;

    public async Task<IReadOnlyList<string>> AddressesAsync(NotificationRequest request, CancellationToken ct)
    {
        if (!senders.Any())
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var number = await db.Set<NotificationPreference>()
            .Where(p => p.TenantId == request.TenantId && p.UserId == request.RecipientUserId && p.SmsEnabled && p.SmsNumber != null)
            .Select(p => p.SmsNumber)
            .FirstOrDefaultAsync(ct);
        return number is null ? [] : [number];
    }

    public Task SendAsync(NotificationMessage message, CancellationToken ct)
    {
        var text = $"{message.Subject}: {message.Body}";
        var sender = senders.LastOrDefault() ?? throw new NotificationRejectedException("no SMS sender is registered on this server.");
        return sender.SendAsync(message.Address, text.Length <= MaxLength ? text : text[..(MaxLength - 1)] + "…", ct);
    }
}
