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

        foreach (var action in new[] { new TicketActionRequest("dispatch", "张师傅"), new("accept"), new("arrive"), new("resolve"), new("close") })
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
    public async Task Unknown_ticket_is_not_found()
    {
        (await host.Api.GetAsync($"{Tickets}/999999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
