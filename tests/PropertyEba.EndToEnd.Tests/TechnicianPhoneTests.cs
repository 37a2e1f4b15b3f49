using System.Net.Http.Json;
using Microsoft.Playwright;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.EndToEnd.Tests;

/// <summary>
/// The technician's phone page at a phone's size (390 × 844) in Chinese, with the browser's geolocation granted: accept
/// and arrive inside the site's geofence, the message outside it, and a ticket dispatched meanwhile appearing live.
/// </summary>
public sealed class TechnicianPhoneTests(DashboardFixture app) : IClassFixture<DashboardFixture>
{
    private const string Site = "sunny-garden";

    // The geofence the test gives the demo site: 150 m around a point in Shanghai.
    private const float FenceLatitude = 31.2304f;
    private const float FenceLongitude = 121.4737f;

    [Fact]
    public async Task A_technician_accepts_and_arrives_inside_the_geofence_and_is_told_when_outside()
    {
        await SetGeofenceAsync();
        var technician = app.SignInOf(Roles.Technician).UserName;
        var inside = await DispatchedTicketAsync("E2E 二号生活泵跳闸", technician);
        var outside = await DispatchedTicketAsync("E2E 消防泵房渗水", technician);

        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            Locale = "zh-CN",
            Permissions = ["geolocation"],
            // About 40 m from the centre: inside.
            Geolocation = new Geolocation { Latitude = FenceLatitude + 0.0003f, Longitude = FenceLongitude + 0.0002f, Accuracy = 10 },
        });
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, Roles.Technician, "/technician");
        await Assertions.Expect(page.Locator("[data-interactive='yes']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        var card = Card(page, inside.Id);
        await Assertions.Expect(card.GetByTestId("ticket-status")).ToHaveTextAsync("已派单");
        await Assertions.Expect(card.GetByTestId("onsite-clock")).ToContainTextAsync("剩余");
        await card.GetByTestId("accept").ClickAsync();
        await Assertions.Expect(card.GetByTestId("ticket-status")).ToHaveTextAsync("已接单");

        await card.GetByTestId("arrive").ClickAsync();
        await Assertions.Expect(card.GetByTestId("ticket-status")).ToHaveTextAsync("已到场");
        await Assertions.Expect(card.GetByTestId("ticket-message")).ToContainTextAsync("已记录到场时间");
        var arrived = (await app.Api.GetFromJsonAsync<TicketDto>($"/api/tenants/demo/tickets/{inside.Id}"))!;
        arrived.Status.ShouldBe(TicketStatus.OnSite);
        arrived.OnSiteUtc.ShouldNotBeNull();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ArtifactsDirectory, "technician-phone-arrived.png"), FullPage = true });

        // About 1.1 km away: outside the 150 m fence.
        await context.SetGeolocationAsync(new Geolocation { Latitude = FenceLatitude + 0.01f, Longitude = FenceLongitude, Accuracy = 10 });
        var far = Card(page, outside.Id);
        await far.GetByTestId("arrive").ClickAsync();
        await Assertions.Expect(far.GetByTestId("ticket-message")).ToContainTextAsync("您不在该项目的电子围栏内");
        await Assertions.Expect(far.GetByTestId("ticket-status")).ToHaveTextAsync("已派单");
        (await app.Api.GetFromJsonAsync<TicketDto>($"/api/tenants/demo/tickets/{outside.Id}"))!.OnSiteUtc.ShouldBeNull("an arrival outside the fence is not recorded");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ArtifactsDirectory, "technician-phone-outside.png"), FullPage = true });

        // Nothing is wider than the phone.
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);

        // Resolve the one on site: cause, action, labour, parts and a photo.
        await card.GetByTestId("resolve").ClickAsync();
        await card.GetByTestId("resolve-cause").FillAsync("热继电器过载跳闸");
        await card.GetByTestId("resolve-remedy").FillAsync("复位热继电器，检查电机电流正常");
        await card.GetByTestId("resolve-labour").FillAsync("1.5");
        await card.GetByTestId("resolve-parts").FillAsync("热继电器×1, 接触器触点×2");
        await card.GetByTestId("resolve-photo").SetInputFilesAsync(new FilePayload { Name = "pump.png", MimeType = "image/png", Buffer = OnePixelPng });
        await Assertions.Expect(card.GetByTestId("ticket-message")).ToHaveTextAsync("照片已上传");
        await card.GetByTestId("resolve-submit").ClickAsync();
        await Assertions.Expect(card).ToHaveCountAsync(0, new() { Timeout = 15_000 });

        var resolved = (await app.Api.GetFromJsonAsync<TicketDto>($"/api/tenants/demo/tickets/{inside.Id}"))!;
        resolved.Status.ShouldBe(TicketStatus.Resolved);
        resolved.Cause.ShouldBe("热继电器过载跳闸");
        resolved.Remedy.ShouldBe("复位热继电器，检查电机电流正常");
        resolved.LabourHours.ShouldBe(1.5);
        resolved.Parts.ShouldNotBeNull().Select(p => (p.Name, p.Quantity)).ShouldBe([("热继电器", 1.0), ("接触器触点", 2.0)]);
        (await app.Api.GetFromJsonAsync<List<TicketPhotoDto>>($"/api/tenants/demo/tickets/{inside.Id}/photos"))!.ShouldHaveSingleItem().ContentType.ShouldBe("image/png");
    }

    private static readonly byte[] OnePixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task Arriving_with_the_location_refused_says_so_and_records_nothing()
    {
        await SetGeofenceAsync();
        var ticket = await DispatchedTicketAsync("E2E 定位被拒", app.SignInOf(Roles.Technician).UserName);
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, Roles.Technician, "/technician");
        await Assertions.Expect(page.Locator("[data-interactive='yes']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await context.ClearPermissionsAsync();

        var card = Card(page, ticket.Id);
        await card.GetByTestId("arrive").ClickAsync();

        await Assertions.Expect(card.GetByTestId("ticket-message")).ToContainTextAsync("无法获取您的位置", new() { Timeout = 30_000 });
        (await app.Api.GetFromJsonAsync<TicketDto>($"/api/tenants/demo/tickets/{ticket.Id}"))!.OnSiteUtc.ShouldBeNull();
    }

    [Fact]
    public async Task A_ticket_dispatched_to_the_technician_appears_on_the_open_phone_page_without_a_reload()
    {
        var technician = app.SignInOf(Roles.Technician).UserName;
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, Roles.Technician, "/technician");
        await Assertions.Expect(page.Locator("[data-interactive='yes']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        var ticket = await DispatchedTicketAsync("E2E 电梯困人", technician);

        var card = Card(page, ticket.Id);
        await Assertions.Expect(card).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(card.GetByTestId("new-ticket")).ToHaveTextAsync("新工单");
        navigations.ShouldBe(0, "the ticket must arrive over the live connection");
    }

    [Fact]
    public async Task A_supervisor_sees_the_teams_open_tickets_and_reassigns_one_to_the_technician()
    {
        var ticket = await DispatchedTicketAsync("E2E 改派测试", "someone-else");
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, Roles.Engineer, "/technician/team");
        await Assertions.Expect(page.Locator("[data-interactive='yes']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        var card = page.Locator($"[data-testid='team-ticket'][data-ticket-id='{ticket.Id}']");
        await Assertions.Expect(card.GetByTestId("team-assignee")).ToHaveTextAsync("someone-else");
        var technician = app.SignInOf(Roles.Technician).UserName;
        await card.GetByTestId("team-reassign-to").FillAsync(technician);
        await card.GetByTestId("team-reassign").ClickAsync();

        await Assertions.Expect(page.GetByTestId("team-message")).ToContainTextAsync($"{ticket.Number} 已改派给 {technician}");
        await Assertions.Expect(card.GetByTestId("team-assignee")).ToHaveTextAsync(technician);
        (await app.Api.GetFromJsonAsync<TicketDto>($"/api/tenants/demo/tickets/{ticket.Id}"))!.AssignedTo.ShouldBe(technician);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ArtifactsDirectory, "technician-team.png"), FullPage = true });
    }

    private static ILocator Card(IPage page, long ticketId) => page.Locator($"[data-testid='my-ticket'][data-ticket-id='{ticketId}']");

    private async Task SetGeofenceAsync()
    {
        var site = (await app.Api.GetFromJsonAsync<SiteDetailDto>($"/api/tenants/demo/sites/{Site}"))!;
        using var put = await app.Api.PutAsJsonAsync($"/api/tenants/demo/sites/{Site}",
            new SiteRequest(site.SiteId, site.Name, site.NameZh, site.TimeZone, site.Address, new GeofenceDto(FenceLatitude, FenceLongitude, 150)));
        put.EnsureSuccessStatusCode();
    }

    private async Task<TicketDto> DispatchedTicketAsync(string title, string technician)
    {
        using var created = await app.Api.PostAsJsonAsync("/api/tenants/demo/tickets", new CreateTicketRequest(Site, title, Severity.Urgent));
        created.EnsureSuccessStatusCode();
        var ticket = (await created.Content.ReadFromJsonAsync<TicketDto>())!;
        using var dispatched = await app.Api.PostAsJsonAsync($"/api/tenants/demo/tickets/{ticket.Id}/actions", new TicketActionRequest("dispatch", Technician: technician));
        dispatched.EnsureSuccessStatusCode();
        return (await dispatched.Content.ReadFromJsonAsync<TicketDto>())!;
    }
}
