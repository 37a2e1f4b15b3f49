using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.EndToEnd.Tests;

/// <summary>The administrator pages in Chromium, as the demo's people use them, checked against the REST API.</summary>
public sealed class AdministrationPageTests(DashboardFixture app) : IClassFixture<DashboardFixture>
{
    private static readonly ViewportSize Desktop = new() { Width = 1400, Height = 1000 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task An_administrator_creates_a_site_uploads_a_profile_and_creates_a_device_and_an_alarm_rule_through_the_pages()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var siteId = $"lakeside-{suffix}";
        var profileId = $"tank-{suffix}";
        var ruleId = $"tank-low-{suffix}";
        var page = await app.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = Desktop });
        await app.SignInAsync(page, Roles.Administrator, "/admin/sites");
        await InteractiveAsync(page);

        // 管理区: created with its time zone, address and geofence, then an equipment room on its page.
        await page.GetByTestId("site-id").FillAsync(siteId);
        await page.GetByTestId("site-name").FillAsync("Lakeside Garden");
        await page.GetByTestId("site-name-zh").FillAsync("湖畔花园");
        await page.GetByTestId("site-time-zone").SelectOptionAsync("Asia/Shanghai");
        await page.GetByTestId("site-address").FillAsync("1 Lake Road, Shenzhen");
        await page.GetByTestId("site-latitude").FillAsync("22.54");
        await page.GetByTestId("site-longitude").FillAsync("114.05");
        await page.GetByTestId("site-radius").FillAsync("300");
        await page.GetByTestId("site-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("site-title")).ToContainTextAsync(siteId);
        await page.GetByTestId("location-id").FillAsync("pump-1");
        await page.GetByTestId("location-kind").SelectOptionAsync("pump-room");
        await page.GetByTestId("location-name").FillAsync("Pump room 1");
        await page.GetByTestId("location-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("location-pump-1")).ToContainTextAsync("水泵房");
        await page.GetByTestId("site-address").FillAsync("2 Lake Road, Shenzhen");
        await page.GetByTestId("site-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("site-saved")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("admin-site-desktop.png"), FullPage = true });
        var site = await app.Api.GetFromJsonAsync<SiteDetailDto>($"/api/tenants/demo/sites/{siteId}");
        site.ShouldNotBeNull().Geofence.ShouldBe(new GeofenceDto(22.54, 114.05, 300));
        site.Address.ShouldBe("2 Lake Road, Shenzhen");

        // 设备型号: one of the shipped profiles under a new id; a broken file lists its problems.
        await page.GotoAsync($"{app.BaseUrl}/admin/profiles");
        await InteractiveAsync(page);
        await page.GetByTestId("profile-upload-file").SetInputFilesAsync(Json("broken.json", "{\"model\": \"x\", \"points\": [{}]}"));
        await Assertions.Expect(page.GetByTestId("admin-problem-item").First).ToBeVisibleAsync();
        var profile = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "profiles", "water-tank-level.json"))
            .Replace("\"model\": \"water-tank-level\"", $"\"model\": \"{profileId}\"", StringComparison.Ordinal);
        await page.GetByTestId("profile-upload-file").SetInputFilesAsync(Json($"{profileId}.json", profile));
        await Assertions.Expect(page.GetByTestId("profile-upload-result")).ToContainTextAsync(profileId);
        await Assertions.Expect(page.GetByTestId($"profile-versions-{profileId}")).ToHaveTextAsync("v1");

        // 设备: from the uploaded profile, in the pump room, with its ledger.
        await page.GotoAsync($"{app.BaseUrl}/admin/devices?site={siteId}");
        await InteractiveAsync(page);
        await page.GetByTestId("device-id").FillAsync("tank-1");
        await page.GetByTestId("device-name").FillAsync("Roof tank");
        await page.GetByTestId("device-name-zh").FillAsync("屋顶水箱");
        await page.GetByTestId("device-profile").SelectOptionAsync(profileId);
        await page.GetByTestId("device-host").FillAsync("127.0.0.1");
        await page.GetByTestId("device-port").FillAsync("1502");
        await page.GetByTestId("device-unit-id").FillAsync("3");
        await page.GetByTestId("device-location").SelectOptionAsync("pump-1");
        await page.GetByTestId("device-asset-number").FillAsync("ZC-0001");
        await page.GetByTestId("device-installed-on").FillAsync("2024-05-01");
        await page.GetByTestId("device-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("point-row-level")).ToBeVisibleAsync();
        await page.GetByTestId("point-unit-level").FillAsync("cm");
        await page.GetByTestId("point-save-level").ClickAsync();
        await Assertions.Expect(page.GetByTestId("point-effective-level")).ToContainTextAsync("cm");
        await Assertions.Expect(page.GetByTestId("point-reset-level")).ToBeVisibleAsync();
        var device = await app.Api.GetFromJsonAsync<DeviceDetailDto>($"/api/tenants/demo/sites/{siteId}/devices/tank-1");
        device.ShouldNotBeNull().ProfileId.ShouldBe(profileId);
        device.LocationId.ShouldBe("pump-1");
        device.Connection.ShouldBe(new DeviceConnectionDto("tcp", "127.0.0.1", 1502, null, 3));
        device.Ledger.AssetNumber.ShouldBe("ZC-0001");
        device.Ledger.InstalledOn.ShouldBe(new DateOnly(2024, 5, 1));
        device.Points.Single(p => p.PointId == "level").Override.ShouldNotBeNull().Unit.ShouldBe("cm");

        // 报警规则: on the new device's level; it is listed and in effect through the API.
        await page.GotoAsync($"{app.BaseUrl}/admin/rules");
        await InteractiveAsync(page);
        await page.GetByTestId("rule-id").FillAsync(ruleId);
        await page.GetByTestId("rule-name").FillAsync("Roof tank low");
        await page.GetByTestId("rule-name-zh").FillAsync("屋顶水箱低水位");
        await page.GetByTestId("rule-site").SelectOptionAsync(siteId);
        await Assertions.Expect(page.GetByTestId("rule-device").Locator("option[value='tank-1']")).ToHaveCountAsync(1);
        await page.GetByTestId("rule-device").SelectOptionAsync("tank-1");
        await page.GetByTestId("rule-point").SelectOptionAsync("level");
        await page.GetByTestId("rule-condition").SelectOptionAsync("BelowLimit");
        await page.GetByTestId("rule-threshold").FillAsync("0.8");
        await page.GetByTestId("rule-severity").SelectOptionAsync("Urgent");
        await page.GetByTestId("rule-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"rule-row-{ruleId}")).ToContainTextAsync("屋顶水箱低水位");
        var rules = await app.Api.GetFromJsonAsync<List<AlarmRuleDto>>("/api/tenants/demo/alarm-rules");
        var rule = rules.ShouldNotBeNull().Where(r => r.RuleId == ruleId).ShouldHaveSingleItem();
        (rule.SiteId, rule.DeviceId, rule.PointId, rule.Condition, rule.Threshold, rule.Enabled).ShouldBe((siteId, "tank-1", "level", "BelowLimit", 0.8, true));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("admin-rules-desktop.png"), FullPage = true });

        // The site's file, downloaded from its page, imports again as a copy; a broken file lists its problems.
        await page.GotoAsync($"{app.BaseUrl}/admin/sites/{siteId}");
        await InteractiveAsync(page);
        await page.GetByTestId("site-export").ClickAsync();
        var href = await page.GetByTestId("site-export-download").GetAttributeAsync("href");
        var exported = Encoding.UTF8.GetString(Convert.FromBase64String(href.ShouldNotBeNull()["data:application/json;base64,".Length..]));
        var copyId = $"{siteId}-b";
        var copy = exported.Replace($"\"siteId\": \"{siteId}\"", $"\"siteId\": \"{copyId}\"", StringComparison.Ordinal).Replace(ruleId, $"{ruleId}-b", StringComparison.Ordinal);
        await page.GotoAsync($"{app.BaseUrl}/admin/sites");
        await InteractiveAsync(page);
        await page.GetByTestId("site-import-file").SetInputFilesAsync(Json("broken-site.json", "{\"formatVersion\": 1, \"site\": {\"siteId\": \"bad id\"}}"));
        await Assertions.Expect(page.GetByTestId("admin-problem-item").First).ToBeVisibleAsync();
        await page.GetByTestId("site-import-file").SetInputFilesAsync(Json($"{copyId}.json", copy));
        await Assertions.Expect(page.GetByTestId("site-import-result")).ToContainTextAsync(copyId);
        await Assertions.Expect(page.GetByTestId($"site-row-{copyId}")).ToBeVisibleAsync();
        (await app.Api.GetFromJsonAsync<DeviceDetailDto>($"/api/tenants/demo/sites/{copyId}/devices/tank-1")).ShouldNotBeNull().Ledger.AssetNumber.ShouldBe("ZC-0001");

        // 审计日志: newest first, filtered by action, each change under the administrator's name.
        await page.GotoAsync($"{app.BaseUrl}/admin/audit");
        await InteractiveAsync(page);
        await page.GetByTestId("audit-action").FillAsync("rule.create");
        await page.GetByTestId("audit-filter").ClickAsync();
        await Assertions.Expect(page.GetByTestId("audit-table")).ToContainTextAsync(ruleId);

        // The unfiltered table may hold the rule too: wait for the filtered render before reading its rows.
        await Assertions.Expect(page.GetByTestId("audit-row-action").Filter(new() { HasNotText = "rule.create" })).ToHaveCountAsync(0);
        (await page.GetByTestId("audit-row-action").AllInnerTextsAsync()).ShouldAllBe(a => a == "rule.create");

        // The same pages at phone width: nothing wider than the screen but the tables, which scroll.
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        await page.GotoAsync($"{app.BaseUrl}/admin/devices/{siteId}/tank-1");
        await InteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("device-form")).ToBeVisibleAsync();
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(Phone.Width);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("admin-device-phone.png"), FullPage = true });
        await page.GotoAsync($"{app.BaseUrl}/admin/rules");
        await InteractiveAsync(page);
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(Phone.Width);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("admin-rules-phone.png"), FullPage = true });
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_technician_has_no_administration_menu_and_a_direct_address_is_refused()
    {
        var page = await app.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = Phone });
        await app.SignInAsync(page, Roles.Technician, "/tickets");
        await InteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("nav-tickets")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("nav-admin")).ToHaveCountAsync(0);

        // Inside the running dashboard (no page load) the router refuses the page and says so.
        await page.EvaluateAsync("Blazor.navigateTo('/admin/rules')");
        await Assertions.Expect(page.GetByTestId("not-allowed")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("rule-form")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("admin-refused-technician-phone.png"), FullPage = true });

        // A typed address is refused by the server before any page renders: it answers with the sign-in page,
        // which says why (this account may not open it) instead of looking as if the technician were signed out.
        await page.GotoAsync($"{app.BaseUrl}/admin/sites");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("site-form")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("signin-error")).ToContainTextAsync("无权打开该页面");
        var refused = await page.APIRequest.GetAsync($"{app.BaseUrl}/admin/users", new() { MaxRedirects = 0 });
        // A browser is sent to sign in as someone else; a program gets 403 (the cookie's access-denied answer).
        refused.Status.ShouldBeOneOf(302, 403);
        (await refused.TextAsync()).ShouldNotContain("data-testid=\"user-form\"");
        await page.CloseAsync();
    }

    [Fact]
    public async Task An_engineer_sees_only_alarm_rules_in_the_menu_and_the_english_page_has_english_labels()
    {
        var page = await app.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = Phone });
        await app.SignInAsync(page, Roles.Engineer, "/admin/rules");
        await InteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("nav-admin")).ToContainTextAsync("管理");
        await Assertions.Expect(page.GetByTestId("nav-admin-rules")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("nav-admin-sites")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("nav-admin-devices")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("rule-form-title")).ToHaveTextAsync("新增报警规则");

        await page.GetByTestId("lang-en").ClickAsync();
        // The English title comes from the new page load; only then is "interactive" about that page.
        await Assertions.Expect(page.GetByTestId("rule-form-title")).ToHaveTextAsync("New alarm rule");
        await InteractiveAsync(page);
        page.Url.ShouldEndWith("/admin/rules");
        await Assertions.Expect(page.GetByTestId("nav-admin")).ToContainTextAsync("Administration");
        await Assertions.Expect(page.GetByTestId("rule-table")).ToContainTextAsync("Severity");

        // A refusal of the service is shown beside the form, its fields named in English.
        await page.GetByTestId("rule-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("admin-problem")).ToContainTextAsync("Rule id");
        await Assertions.Expect(page.GetByTestId("error-ruleId")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("admin-rules-phone-en.png"), FullPage = true });
        await page.CloseAsync();
    }

    [Fact]
    public async Task An_administrator_creates_a_user_at_phone_width_who_signs_in_with_the_password_shown_once()
    {
        var userName = $"tech-{Guid.NewGuid():N}"[..14];
        var page = await app.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = Phone });
        await app.SignInAsync(page, Roles.Administrator, "/admin/users");
        await InteractiveAsync(page);
        await page.GetByTestId("user-name").FillAsync(userName);
        await page.GetByTestId("user-display-name").FillAsync("新技工");
        await page.GetByTestId("user-role-technician").CheckAsync();
        await page.GetByTestId("user-site-sunny-garden").CheckAsync();
        await page.GetByTestId("user-create").ClickAsync();
        var password = await page.GetByTestId("user-created-password").InnerTextAsync();
        password.Length.ShouldBeGreaterThanOrEqualTo(12);
        await Assertions.Expect(page.GetByTestId($"user-row-{userName}")).ToContainTextAsync("维修技工");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(Phone.Width);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("admin-users-phone.png"), FullPage = true });

        await using (var other = await app.Browser.NewContextAsync())
        {
            var theirs = await other.NewPageAsync();
            await theirs.GotoAsync($"{app.BaseUrl}/tickets");
            await theirs.GetByTestId("signin-user").FillAsync(userName);
            await theirs.GetByTestId("signin-password").FillAsync(password);
            await theirs.GetByTestId("signin-submit").ClickAsync();
            await theirs.WaitForURLAsync(url => url.EndsWith("/tickets", StringComparison.Ordinal));
        }

        // Shown once: a reload of the page no longer has it.
        await page.ReloadAsync();
        await InteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("user-created-password")).ToHaveCountAsync(0);
        await page.GetByTestId($"user-edit-{userName}").ClickAsync();
        await page.GetByTestId("user-locked").CheckAsync();
        await page.GetByTestId("user-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"user-row-{userName}")).ToContainTextAsync("是");
        var users = await app.Api.GetFromJsonAsync<List<UserDto>>("/api/tenants/demo/users");
        var user = users.ShouldNotBeNull().Where(u => u.UserName == userName).ShouldHaveSingleItem();
        user.SiteIds.ShouldBe(["sunny-garden"]);
        user.LockedUntil.ShouldNotBeNull();
        await page.CloseAsync();
    }

    [Fact]
    public async Task An_administrator_provisions_an_edge_at_phone_width_sees_its_secret_once_and_the_edge_is_listed()
    {
        var edgeId = $"gw-{Guid.NewGuid():N}"[..10];
        var row = $"edge-row-sunny-garden-{edgeId}";
        var page = await app.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = Phone });
        await app.SignInAsync(page, Roles.Administrator, "/admin/edges");
        await InteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("nav-admin-edges")).ToHaveCountAsync(1);

        await page.GetByTestId("edge-site").SelectOptionAsync("sunny-garden");
        await page.GetByTestId("edge-id").FillAsync(edgeId);
        await page.GetByTestId("edge-provision").ClickAsync();
        var password = await page.GetByTestId("edge-secret-password").InnerTextAsync();
        password.Length.ShouldBeGreaterThanOrEqualTo(16);
        await Assertions.Expect(page.GetByTestId("edge-secret-username")).ToHaveTextAsync($"eba-demo-sunny-garden-{edgeId}");
        await Assertions.Expect(page.GetByTestId("edge-secret-port")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]+$"));
        await Assertions.Expect(page.GetByTestId(row)).ToContainTextAsync("是");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(Phone.Width);
        await page.GetByTestId("edge-secret").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("admin-edges-phone.png"), FullPage = true });
        var edges = await app.Api.GetFromJsonAsync<List<EdgeDto>>("/api/tenants/demo/edges");
        edges.ShouldNotBeNull().ShouldContain(e => e.SiteId == "sunny-garden" && e.EdgeId == edgeId && e.Enabled);

        // Shown once: a reload no longer has it; the edge stays listed, and is disabled from its row.
        await page.ReloadAsync();
        await InteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("edge-secret-password")).ToHaveCountAsync(0);
        await page.GetByTestId($"edge-toggle-sunny-garden-{edgeId}").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"edge-enabled-sunny-garden-{edgeId}")).ToHaveTextAsync("否");
        await page.GetByTestId($"edge-rotate-sunny-garden-{edgeId}").ClickAsync();
        (await page.GetByTestId("edge-secret-password").InnerTextAsync()).ShouldNotBe(password);
        await page.GetByTestId($"edge-delete-sunny-garden-{edgeId}").ClickAsync();
        await page.GetByTestId($"edge-delete-confirm-sunny-garden-{edgeId}").ClickAsync();
        await Assertions.Expect(page.GetByTestId(row)).ToHaveCountAsync(0);
        (await app.Api.GetFromJsonAsync<List<EdgeDto>>("/api/tenants/demo/edges")).ShouldNotBeNull().ShouldNotContain(e => e.EdgeId == edgeId);
        await page.CloseAsync();
    }

    /// <summary>Waits for the circuit to run the page: input typed into the prerendered form would be lost.</summary>
    private static async Task InteractiveAsync(IPage page) =>
        await Assertions.Expect(page.Locator("[data-interactive='yes']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

    private static FilePayload Json(string name, string json) => new() { Name = name, MimeType = "application/json", Buffer = Encoding.UTF8.GetBytes(json) };

    private static string Artifact(string name) => Path.Combine(DashboardFixture.ArtifactsDirectory, name);
}
