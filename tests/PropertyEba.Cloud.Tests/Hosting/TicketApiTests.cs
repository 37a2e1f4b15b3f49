using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Tests.Hosting;

[Collection(CloudHostCollection.Name)]
public sealed class TicketApiTests(CloudHostFixture host)
{
    private const string Tickets = $"/api/tenants/{CloudHostFixture.Tenant}/tickets";

    [Fact]
    public async Task Ticket_goes_from_dispatch_to_closed_and_refuses_an_out_of_order_action()
    {
        var service = host.Services.GetRequiredService<TicketService>();
        var ticket = await service.OpenAsync(CloudHostFixture.Tenant, CloudHostFixture.Site, "pumps-1", null, MessageCatalog.Typed("Pump noise"), Severity.Normal, CancellationToken.None);

        var early = await host.Api.PostAsJsonAsync($"{Tickets}/{ticket.Id}/actions", new TicketActionRequest("close"));
        early.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await early.Content.ReadAsStringAsync()).ShouldContain("cannot 'close'");

        var noTechnician = await host.Api.PostAsJsonAsync($"{Tickets}/{ticket.Id}/actions", new TicketActionRequest("dispatch"));
        noTechnician.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        foreach (var action in new[] { new TicketActionRequest("dispatch", "张师傅"), new("accept"), new("arrive"), new("resolve", Cause: "Bearing worn", Remedy: "Replaced the bearing", LabourHours: 1.5), new("callback", Satisfaction: 5), new("close") })
        {
            var response = await host.Api.PostAsJsonAsync($"{Tickets}/{ticket.Id}/actions", action);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"action {action.Action}");
        }

        var closed = await host.Api.GetFromJsonAsync<TicketDto>($"{Tickets}/{ticket.Id}");
        closed!.Status.ShouldBe(TicketStatus.Closed);
        closed.AssignedTo.ShouldBe("张师傅");
        closed.OnSiteUtc.ShouldNotBeNull();
    }

    [Fact]
    public async Task Desk_ticket_is_opened_by_post_and_an_unknown_site_is_refused()
    {
        var created = await host.Api.PostAsJsonAsync(Tickets, new CreateTicketRequest(CloudHostFixture.Site, "电梯困人", Severity.Emergency, Description: "2号梯"));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var ticket = (await created.Content.ReadFromJsonAsync<TicketDto>())!;
        ticket.Source.ShouldBe(TicketSource.Desk);
        ticket.Title.ShouldBe("电梯困人");
        (await host.Api.GetFromJsonAsync<TicketDto>(created.Headers.Location!.ToString()))!.Id.ShouldBe(ticket.Id);

        var unknown = await host.Api.PostAsJsonAsync(Tickets, new CreateTicketRequest("no-such-site", "Leak", Severity.Normal));
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var noTitle = await host.Api.PostAsJsonAsync(Tickets, new CreateTicketRequest(CloudHostFixture.Site, " ", Severity.Normal));
        noTitle.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noTitle.Content.ReadAsStringAsync()).ShouldContain("'title' is required");
    }

    [Fact]
    public async Task Photo_is_stored_served_back_to_the_tenant_and_a_non_photo_is_refused()
    {
        var ticket = await host.Services.GetRequiredService<TicketService>().OpenAsync(
            CloudHostFixture.Tenant, CloudHostFixture.Site, null, null, MessageCatalog.Typed("Leak"), Severity.Normal, CancellationToken.None);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];
        using var body = new ByteArrayContent(png);
        body.Headers.ContentType = new("image/png");
        var uploaded = await host.Api.PostAsync($"{Tickets}/{ticket.Id}/photos", body);
        uploaded.StatusCode.ShouldBe(HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync());
        var photo = (await uploaded.Content.ReadFromJsonAsync<TicketPhotoDto>())!;
        photo.ContentType.ShouldBe("image/png");

        var served = await host.Api.GetAsync(photo.Url);
        served.StatusCode.ShouldBe(HttpStatusCode.OK);
        served.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        (await served.Content.ReadAsByteArrayAsync()).ShouldBe(png);
        (await host.Api.GetFromJsonAsync<List<TicketPhotoDto>>($"{Tickets}/{ticket.Id}/photos"))!.Select(p => p.Id).ShouldBe([photo.Id]);

        using var script = new ByteArrayContent("<svg onload=alert(1)>"u8.ToArray());
        script.Headers.ContentType = new("image/png");
        var refused = await host.Api.PostAsync($"{Tickets}/{ticket.Id}/photos", script);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("image/jpeg");

        using var huge = new ByteArrayContent(new byte[9 * 1024 * 1024]);
        huge.Headers.ContentType = new("image/jpeg");
        (await host.Api.PostAsync($"{Tickets}/{ticket.Id}/photos", huge)).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        // Another tenant's administrator cannot fetch it, even knowing the address.
        using var stranger = await host.SignInAsNewUserAsync("photo-other", Tenancy.Roles.Administrator);
        (await stranger.GetAsync(photo.Url.Replace(CloudHostFixture.Tenant, "photo-other", StringComparison.Ordinal))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync(photo.Url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Unknown_ticket_is_not_found()
    {
        (await host.Api.GetAsync($"{Tickets}/999999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
