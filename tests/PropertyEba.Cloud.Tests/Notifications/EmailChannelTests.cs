using Microsoft.Extensions.DependencyInjection;
using PropertyEba.Cloud.Notifications;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Notifications;

/// <summary>The e-mail channel against a real SMTP server (aiosmtpd on loopback).</summary>
public sealed class EmailChannelTests
{
    [Fact]
    public async Task A_notification_reaches_the_SMTP_server_addressed_to_the_recipient_and_is_recorded_delivered()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var store = new NotificationTestStore(o =>
        {
            o.Smtp.Host = "127.0.0.1";
            o.Smtp.Port = smtp.Port;
            o.Smtp.Security = "None";
            o.PublicBaseUrl = "https://eba.example.com";
        });
        await store.StartAsync();
        await store.SetPreferencesAsync(new NotificationPreferencesRequest("en", "zhang.wei@example.com", EmailEnabled: true, PushEnabled: false, null, false));

        await store.Notifier.NotifyAsync(NotificationTestStore.TicketAssigned(), CancellationToken.None);
        await store.SendDueAsync();

        var mail = smtp.Messages().ShouldHaveSingleItem();
        mail.ShouldContain("X-Envelope-To: zhang.wei@example.com");
        mail.ShouldContain("Subject: Ticket T-0042 assigned");
        mail.ShouldContain("X-PropertyEba-Ticket: 42");
        using var parsed = MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail)));
        parsed.TextBody.ShouldNotBeNull().ShouldContain("No. 2 domestic pump tripped — on site within 15 min");
        parsed.TextBody.ShouldNotBeNull().ShouldContain("https://eba.example.com/technician");
        var delivery = (await store.DeliveriesAsync(EmailNotificationChannel.ChannelName)).ShouldHaveSingleItem();
        delivery.Outcome.ShouldBe(DeliveryOutcome.Delivered);
        delivery.Address.ShouldBe("zhang.wei@example.com");
        delivery.Attempts.ShouldBe(1);
        delivery.Error.ShouldBeNull();
    }

    [Fact]
    public async Task A_person_with_e_mail_turned_off_gets_no_mail_and_no_e_mail_delivery_is_recorded()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var store = new NotificationTestStore(o =>
        {
            o.Smtp.Host = "127.0.0.1";
            o.Smtp.Port = smtp.Port;
            o.Smtp.Security = "None";
        });
        await store.StartAsync();
        await store.SetPreferencesAsync(new NotificationPreferencesRequest("zh-CN", "zhang.wei@example.com", EmailEnabled: false, PushEnabled: false, null, false));

        await store.Notifier.NotifyAsync(NotificationTestStore.TicketAssigned(), CancellationToken.None);
        await store.SendDueAsync();

        (await store.DeliveriesAsync(EmailNotificationChannel.ChannelName)).ShouldBeEmpty();
        (await store.DeliveriesAsync(HubNotificationChannel.ChannelName)).ShouldHaveSingleItem().Outcome.ShouldBe(DeliveryOutcome.Delivered);
        smtp.Messages().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_mail_server_that_is_down_is_retried_with_doubling_delays_and_the_mail_goes_out_once_it_is_up()
    {
        var port = FreePort.Next();
        await using var store = new NotificationTestStore(o =>
        {
            o.Smtp.Host = "127.0.0.1";
            o.Smtp.Port = port;
            o.Smtp.Security = "None";
            o.FirstRetryDelay = TimeSpan.FromSeconds(5);
            o.MaxAttempts = 5;
        });
        await store.StartAsync();
        await store.SetPreferencesAsync(new NotificationPreferencesRequest("zh-CN", "li.na@example.com", EmailEnabled: true, PushEnabled: false, null, false));
        await store.Notifier.NotifyAsync(NotificationTestStore.TicketAssigned(), CancellationToken.None);
        var start = store.Clock.GetUtcNow();

        await store.SendDueAsync();
        var first = (await store.DeliveriesAsync(EmailNotificationChannel.ChannelName)).Single();
        first.Outcome.ShouldBe(DeliveryOutcome.Pending);
        first.Attempts.ShouldBe(1);
        first.Error.ShouldNotBeNull();
        first.NextAttemptUtc.ShouldBe(start + TimeSpan.FromSeconds(5));

        store.Clock.Advance(TimeSpan.FromSeconds(4));
        await store.SendDueAsync();
        (await store.DeliveriesAsync(EmailNotificationChannel.ChannelName)).Single().Attempts.ShouldBe(1, "not due before its retry time");

        store.Clock.Advance(TimeSpan.FromSeconds(1));
        await store.SendDueAsync();
        var second = (await store.DeliveriesAsync(EmailNotificationChannel.ChannelName)).Single();
        second.Attempts.ShouldBe(2);
        second.NextAttemptUtc.ShouldBe(start + TimeSpan.FromSeconds(5 + 10));

        await using var smtp = await SmtpSink.StartAsync(port);
        store.Clock.Advance(TimeSpan.FromSeconds(10));
        await store.SendDueAsync();

        var done = (await store.DeliveriesAsync(EmailNotificationChannel.ChannelName)).Single();
        done.Outcome.ShouldBe(DeliveryOutcome.Delivered);
        done.Attempts.ShouldBe(3);
        done.Error.ShouldBeNull();
        smtp.Messages().ShouldHaveSingleItem().ShouldContain("X-Envelope-To: li.na@example.com");
    }

    [Fact]
    public async Task A_delivery_still_failing_at_the_last_attempt_is_recorded_failed_with_the_error()
    {
        await using var store = new NotificationTestStore(o =>
        {
            o.Smtp.Host = "127.0.0.1";
            o.Smtp.Port = FreePort.Next();
            o.Smtp.Security = "None";
            o.FirstRetryDelay = TimeSpan.FromSeconds(1);
            o.MaxAttempts = 2;
        });
        await store.StartAsync();
        await store.SetPreferencesAsync(new NotificationPreferencesRequest("zh-CN", "li.na@example.com", EmailEnabled: true, PushEnabled: false, null, false));
        await store.Notifier.NotifyAsync(NotificationTestStore.TicketAssigned(), CancellationToken.None);

        await store.SendDueAsync();
        store.Clock.Advance(TimeSpan.FromSeconds(1));
        await store.SendDueAsync();
        store.Clock.Advance(TimeSpan.FromHours(1));
        await store.SendDueAsync();

        var failed = (await store.DeliveriesAsync(EmailNotificationChannel.ChannelName)).Single();
        failed.Outcome.ShouldBe(DeliveryOutcome.Failed);
        failed.Attempts.ShouldBe(2);
        failed.NextAttemptUtc.ShouldBeNull();
        failed.Error.ShouldNotBeNullOrEmpty();
        store.Services.GetRequiredService<DeliveryWorker>().Failed.ShouldBe(1);
    }
}
