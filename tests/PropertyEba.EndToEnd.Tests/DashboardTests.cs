using System.Net.Http.Json;
using Microsoft.Playwright;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Testing;

namespace PropertyEba.EndToEnd.Tests;

public sealed class DashboardTests(DashboardFixture app) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task Dashboard_shows_live_values_changing_and_the_alarm_after_a_fault_without_reloading()
    {
        var page = await app.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var navigations = 0;
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                navigations++;
            }
        };
        await app.SignInAsync(page, Roles.Engineer);
        navigations = 1;

        // Chinese is the default language.
        await Assertions.Expect(page.GetByTestId("nav-alarms")).ToHaveTextAsync("报警");
        await Assertions.Expect(page.GetByTestId("edge-status")).ToHaveTextAsync("网关在线");

        var meter = page.GetByTestId("device-meter-1");
        await Assertions.Expect(meter).ToBeVisibleAsync();
        // Wait for the interactive circuit to be connected and rendering live values.
        var first = await Eventually.UntilAsync(async _ => await meter.InnerTextAsync(), text => text.Contains(" kW", StringComparison.Ordinal), "the meter card to show a power value in kW");
        await Eventually.UntilAsync(async _ => await meter.InnerTextAsync(), text => text != first, "a live value on the meter card to change without a reload");

        (await app.Api.PostAsJsonAsync("/api/demo/faults", new { fault = "tank-low" })).EnsureSuccessStatusCode();
        try
        {
            await Assertions.Expect(page.GetByTestId("alarm-tank-low-level").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("alarm-tank-low-level").First).ToHaveTextAsync("生活水箱低水位");
            navigations.ShouldBe(1, "the alarm must arrive over the live connection, not through a page load");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ArtifactsDirectory, "dashboard-alarm.png"), FullPage = true });
        }
        finally
        {
            await app.Api.DeleteAsync("/api/demo/faults");
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Alarm_and_its_ticket_show_in_english_for_a_person_who_chose_english()
    {
        var page = await app.Browser.NewPageAsync();
        await app.SignInAsync(page, Roles.Engineer, "/alarms");
        await page.GetByTestId("lang-en").ClickAsync();
        await Assertions.Expect(page.GetByTestId("nav-alarms")).ToHaveTextAsync("Alarms");

        (await app.Api.PostAsJsonAsync("/api/demo/faults", new { fault = "tank-low" })).EnsureSuccessStatusCode();
        try
        {
            // Stored as an id with the rule's names in both languages, so the same alarm reads in English here.
            await Assertions.Expect(page.GetByTestId("alarm-tank-low-level").First).ToHaveTextAsync("Domestic water tank low level", new() { Timeout = 60_000 });
            await page.GetByTestId("nav-tickets").ClickAsync();
            await Assertions.Expect(page.GetByTestId("ticket-title").Filter(new() { HasText = "Domestic water tank low level — " }).First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("ticket-title").Filter(new() { HasText = "生活水箱低水位" })).ToHaveCountAsync(0);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ArtifactsDirectory, "tickets-en-alarm-title.png"), FullPage = true });
        }
        finally
        {
            await app.Api.DeleteAsync("/api/demo/faults");
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Language_switch_shows_the_dashboard_in_english()
    {
        var page = await app.Browser.NewPageAsync();
        await app.SignInAsync(page, Roles.Technician, "/tickets");
        await page.GetByTestId("lang-en").ClickAsync();
        await Assertions.Expect(page.GetByTestId("nav-alarms")).ToHaveTextAsync("Alarms");
        await Assertions.Expect(page.GetByTestId("nav-tickets")).ToHaveTextAsync("Work orders");
        page.Url.ShouldEndWith("/tickets");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ArtifactsDirectory, "dashboard-tickets-en.png"), FullPage = true });
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_stranger_is_sent_to_the_sign_in_page_in_chinese_and_a_wrong_password_is_refused_there()
    {
        var page = await app.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await page.GotoAsync(app.BaseUrl + "/alarms");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("signin-submit")).ToHaveTextAsync("登录");

        await page.GetByTestId("signin-user").FillAsync(app.SignInOf(Roles.Engineer).UserName);
        await page.GetByTestId("signin-password").FillAsync("not-the-password-1A");
        await page.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signin-error")).ToHaveTextAsync("用户名或密码错误。");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ArtifactsDirectory, "signin-phone-zh.png"), FullPage = true });

        await page.GetByTestId("lang-en").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signin-submit")).ToHaveTextAsync("Sign in");
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_technician_signs_in_at_phone_width_and_signs_out_again()
    {
        var page = await app.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await app.SignInAsync(page, Roles.Technician, "/tickets");
        page.Url.ShouldEndWith("/tickets");
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("demo-technician");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ArtifactsDirectory, "tickets-phone-technician.png"), FullPage = true });

        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.GotoAsync(app.BaseUrl + "/tickets");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.CloseAsync();
    }
}
