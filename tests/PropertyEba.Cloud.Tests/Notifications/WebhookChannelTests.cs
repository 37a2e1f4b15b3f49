using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PropertyEba.Cloud.Notifications;

namespace PropertyEba.Cloud.Tests.Notifications;

/// <summary>Signed webhooks against a real HTTP receiver on loopback that checks the signature as a customer would.</summary>
public sealed class WebhookChannelTests
{
    [Fact]
    public async Task A_webhook_receiver_gets_the_notification_signed_over_timestamp_and_body_with_the_tenants_secret()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var store = new NotificationTestStore(_ => { });
        await store.StartAsync();
        var (hook, _) = await store.Services.GetRequiredService<NotificationSettings>()
            .AddWebhookAsync(NotificationTestStore.Tenant, new WebhookRequest($"{receiver.BaseUrl}/eba"), CancellationToken.None);
        hook.ShouldNotBeNull();
        hook.Secret.ShouldNotBeNullOrEmpty();

        // The receiver verifies with its own code, not ours: HMAC-SHA256(secret, "{timestamp}.{body}") in lower-case hex.
        receiver.Respond = r => VerifiesIndependently(hook.Secret!, r, store.Clock.GetUtcNow()) ? 204 : 401;
        await store.Notifier.NotifyAsync(NotificationTestStore.TicketAssigned(77), CancellationToken.None);
        await store.SendDueAsync();

        var request = receiver.Requests.ShouldHaveSingleItem();
        request.Path.ShouldBe("/eba");
        request.Header("Content-Type").ShouldBe("application/json; charset=utf-8");
        using var json = JsonDocument.Parse(request.Body);
        json.RootElement.GetProperty("kind").GetString().ShouldBe("ticket.assigned");
        json.RootElement.GetProperty("ticketId").GetInt64().ShouldBe(77);
        json.RootElement.GetProperty("recipientUserId").GetString().ShouldBe(NotificationTestStore.User);
        var delivery = (await store.DeliveriesAsync(WebhookNotificationChannel.ChannelName)).ShouldHaveSingleItem();
        delivery.Outcome.ShouldBe(DeliveryOutcome.Delivered, delivery.Error);
        request.Header(WebhookSignature.DeliveryHeader).ShouldBe(delivery.Id.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_receiver_that_refuses_the_signature_makes_the_delivery_fail_without_retries()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var store = new NotificationTestStore(_ => { });
        await store.StartAsync();
        await store.Services.GetRequiredService<NotificationSettings>()
            .AddWebhookAsync(NotificationTestStore.Tenant, new WebhookRequest($"{receiver.BaseUrl}/eba"), CancellationToken.None);

        // Verifying with another secret, as a receiver configured with a stale one would.
        var wrongSecret = WebhookSignature.NewSecret();
        receiver.Respond = r => VerifiesIndependently(wrongSecret, r, store.Clock.GetUtcNow()) ? 204 : 401;
        await store.Notifier.NotifyAsync(NotificationTestStore.TicketAssigned(), CancellationToken.None);
        await store.SendDueAsync();

        var delivery = (await store.DeliveriesAsync(WebhookNotificationChannel.ChannelName)).ShouldHaveSingleItem();
        delivery.Outcome.ShouldBe(DeliveryOutcome.Failed);
        delivery.Error.ShouldNotBeNull().ShouldContain("401");
    }

    [Fact]
    public async Task A_receiver_answering_503_gets_the_same_delivery_again_after_the_back_off()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var store = new NotificationTestStore(o => o.FirstRetryDelay = TimeSpan.FromSeconds(30));
        await store.StartAsync();
        await store.Services.GetRequiredService<NotificationSettings>()
            .AddWebhookAsync(NotificationTestStore.Tenant, new WebhookRequest($"{receiver.BaseUrl}/eba"), CancellationToken.None);
        var answers = new Queue<int>([503, 200]);
        receiver.Respond = _ => answers.Dequeue();

        await store.Notifier.NotifyAsync(NotificationTestStore.TicketAssigned(), CancellationToken.None);
        await store.SendDueAsync();
        (await store.DeliveriesAsync(WebhookNotificationChannel.ChannelName)).Single().Outcome.ShouldBe(DeliveryOutcome.Pending);
        store.Clock.Advance(TimeSpan.FromSeconds(30));
        await store.SendDueAsync();

        var delivery = (await store.DeliveriesAsync(WebhookNotificationChannel.ChannelName)).Single();
        delivery.Outcome.ShouldBe(DeliveryOutcome.Delivered);
        delivery.Attempts.ShouldBe(2);
        var both = receiver.Requests.ToArray();
        both.Length.ShouldBe(2);
        both[1].Header(WebhookSignature.DeliveryHeader).ShouldBe(both[0].Header(WebhookSignature.DeliveryHeader), "the receiver can tell a retry from a new notification");
        both[1].Header(WebhookSignature.TimestampHeader).ShouldNotBe(both[0].Header(WebhookSignature.TimestampHeader), "a retry is signed afresh, inside the replay window");
    }

    [Fact]
    public void A_signature_is_refused_outside_the_replay_window_and_for_a_changed_body()
    {
        var secret = WebhookSignature.NewSecret();
        var now = new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
        var body = "{\"kind\":\"ticket.assigned\"}"u8.ToArray();
        var timestamp = now.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign(secret, timestamp, body);
        var ts = timestamp.ToString(CultureInfo.InvariantCulture);
        var window = TimeSpan.FromMinutes(5);

        WebhookSignature.Verify(secret, ts, signature, body, now + TimeSpan.FromMinutes(4), window).ShouldBeTrue();
        WebhookSignature.Verify(secret, ts, signature, body, now + TimeSpan.FromMinutes(6), window).ShouldBeFalse("replayed after the window");
        WebhookSignature.Verify(secret, ts, signature, "{\"kind\":\"ticket.closed\"}"u8.ToArray(), now, window).ShouldBeFalse("body changed");
        WebhookSignature.Verify(secret, (timestamp + 1).ToString(CultureInfo.InvariantCulture), signature, body, now, window).ShouldBeFalse("timestamp changed");
    }

    private static bool VerifiesIndependently(string secret, ReceivedRequest r, DateTimeOffset now)
    {
        if (!long.TryParse(r.Header("X-PropertyEba-Timestamp"), out var timestamp) || Math.Abs(now.ToUnixTimeSeconds() - timestamp) > 300)
        {
            return false;
        }

        using var hmac = new HMACSHA256(Convert.FromBase64String(secret));
        var expected = "sha256=" + Convert.ToHexString(hmac.ComputeHash([.. Encoding.ASCII.GetBytes($"{timestamp}."), .. r.Body])).ToLowerInvariant();
        return r.Header("X-PropertyEba-Signature") == expected;
    }
}
