using System.Net;
using System.Text.Json;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Persistence;
using WebPushSubscription = Lib.Net.Http.WebPush.PushSubscription;

namespace PropertyEba.Cloud.Notifications;

/// <summary>
/// Web Push (RFC 8030, payload encrypted per RFC 8291 aes128gcm, VAPID per RFC 8292) to every browser the recipient
/// subscribed in, when they turned push on. A push service answering 404 or 410 says the subscription is gone: the
/// delivery is refused for good and the subscription deleted, so it is not tried again.
/// </summary>
internal sealed class WebPushNotificationChannel(
    IDbContextFactory<EbaDbContext> contexts,
    VapidKeys keys,
    IHttpClientFactory http,
    IOptions<NotificationOptions> options) : INotificationChannel
{
    public const string ChannelName = "push";
    public const string HttpClientName = "webpush";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => ChannelName;

    public async Task<IReadOnlyList<string>> AddressesAsync(NotificationRequest request, CancellationToken ct)
    {
        if (!options.Value.WebPush.Enabled)
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var wanted = await db.Set<NotificationPreference>()
            .AnyAsync(p => p.TenantId == request.TenantId && p.UserId == request.RecipientUserId && p.PushEnabled, ct);
        if (!wanted)
        {
            return [];
        }

        return await db.Set<PushSubscription>()
            .Where(s => s.TenantId == request.TenantId && s.UserId == request.RecipientUserId)
            .OrderBy(s => s.Id)
            .Select(s => s.Endpoint)
            .ToListAsync(ct);
    }

    public async Task SendAsync(NotificationMessage message, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var subscription = await db.Set<PushSubscription>()
            .FirstOrDefaultAsync(s => s.TenantId == message.TenantId && s.UserId == message.RecipientUserId && s.Endpoint == message.Address, ct)
            ?? throw new NotificationRejectedException("the push subscription was removed before the notification was sent.");

        var o = options.Value;
        var pair = await keys.GetAsync(ct);
        var target = new WebPushSubscription { Endpoint = subscription.Endpoint };
        target.SetKey(PushEncryptionKeyName.P256DH, subscription.P256dh);
        target.SetKey(PushEncryptionKeyName.Auth, subscription.Auth);
        var payload = LiveNotification.Of(message) with { Link = NotificationLinks.Absolute(o.PublicBaseUrl, message.Link) };
        var push = new PushMessage(JsonSerializer.Serialize(payload, Json))
        {
            TimeToLive = (int)o.WebPush.TimeToLive.TotalSeconds,
            Urgency = PushMessageUrgency.High,
            Topic = message.TicketId is { } t ? $"ticket-{t}" : null,
        };

        using var vapid = new VapidAuthentication(pair.PublicKey, pair.PrivateKey) { Subject = o.WebPush.Subject };
        var client = new PushServiceClient(http.CreateClient(HttpClientName)) { AutoRetryAfter = false };
        try
        {
            await client.RequestPushMessageDeliveryAsync(target, push, vapid, VapidAuthenticationScheme.Vapid, ct);
        }
        catch (PushServiceClientException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            db.Set<PushSubscription>().Remove(subscription);
            await db.SaveChangesAsync(CancellationToken.None);
            throw new NotificationRejectedException($"the push service says the subscription is gone ({(int)ex.StatusCode}); it was removed.", ex);
        }
        catch (PushServiceClientException ex) when ((int)ex.StatusCode is >= 400 and < 500 and not 429)
        {
            throw new NotificationRejectedException($"the push service refused the message ({(int)ex.StatusCode}): {ex.Body}", ex);
        }
    }
}
