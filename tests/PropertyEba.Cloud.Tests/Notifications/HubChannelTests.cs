using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using PropertyEba.Cloud.Notifications;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Cloud.Tests.Hosting;

namespace PropertyEba.Cloud.Tests.Notifications;

/// <summary>The hub channel and the notification API through the real host.</summary>
[Collection(CloudHostCollection.Name)]
public sealed class HubChannelTests(CloudHostFixture host)
{
    private const string Base = $"/api/tenants/{CloudHostFixture.Tenant}/notifications";

    [Fact]
    public async Task A_notification_reaches_the_recipients_hub_connection_and_no_one_elses_in_the_tenant()
    {
        using var recipient = await host.SignInAsNewUserAsync(CloudHostFixture.Tenant, Roles.Technician);
        using var colleague = await host.SignInAsNewUserAsync(CloudHostFixture.Tenant, Roles.Technician);
        var toRecipient = Channel.CreateUnbounded<LiveNotification>();
        var toColleague = Channel.CreateUnbounded<LiveNotification>();
        await using var recipientHub = await ConnectAsync(recipient, toRecipient);
        await using var colleagueHub = await ConnectAsync(colleague, toColleague);

        using var sent = await recipient.PostAsync($"{Base}/test", null);
        sent.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var got = await toRecipient.Reader.ReadAsync(timeout.Token);
        got.Kind.ShouldBe("test");
        got.Subject.ShouldBe("PropertyEba 测试通知");
        got.Link.ShouldBe("/technician");

        // The colleague's connection is in the same tenant group; the notification must not reach it.
        await Task.Delay(TimeSpan.FromSeconds(1));
        toColleague.Reader.TryRead(out _).ShouldBeFalse();
        var mine = await recipient.GetFromJsonAsync<List<NotificationDeliveryDto>>($"{Base}/mine");
        mine.ShouldNotBeNull().ShouldContain(d => d.Kind == "test" && d.Outcome == nameof(DeliveryOutcome.Delivered));
        (await colleague.GetFromJsonAsync<List<NotificationDeliveryDto>>($"{Base}/mine")).ShouldNotBeNull().ShouldBeEmpty();
    }

    [Fact]
    public async Task Preferences_with_a_bad_e_mail_address_are_refused_saying_what_is_allowed()
    {
        using var person = await host.SignInAsNewUserAsync(CloudHostFixture.Tenant, Roles.Technician);

        using var bad = await person.PutAsJsonAsync($"{Base}/preferences", new NotificationPreferencesRequest("zh-CN", "not-an-address", true, false, null, false));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("is not an e-mail address");

        using var good = await person.PutAsJsonAsync($"{Base}/preferences", new NotificationPreferencesRequest("en", "wang.fang@example.com", true, false, "+8613800138000", false));
        good.StatusCode.ShouldBe(HttpStatusCode.OK);
        var read = await person.GetFromJsonAsync<NotificationPreferencesDto>($"{Base}/preferences");
        read.ShouldNotBeNull();
        read.Email.ShouldBe("wang.fang@example.com");
        read.Culture.ShouldBe("en");
        read.SmsNumber.ShouldBe("+8613800138000");
    }

    private async Task<HubConnection> ConnectAsync(HttpClient client, Channel<LiveNotification> received)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.Server.BaseAddress, LiveHub.Path.TrimStart('/')), o =>
            {
                o.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult(client.DefaultRequestHeaders.Authorization?.Parameter);
            })
            .Build();
        connection.On<LiveNotification>(HubNotificationChannel.Method, n => received.Writer.TryWrite(n));
        await connection.StartAsync();
        return connection;
    }
}
