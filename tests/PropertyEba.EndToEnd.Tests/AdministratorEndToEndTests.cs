using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Playwright;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;
using PropertyEba.Testing;
using Xunit.Abstractions;

namespace PropertyEba.EndToEnd.Tests;

/// <summary>
/// An estate set up from nothing, as an administrator would do it: the cloud without its demo estate, the device
/// simulator and a standalone edge agent, each a process of its own on free loopback ports. The platform operator
/// creates the tenant and its administrator; the administrator builds the site through the REST API, provisions the
/// edge and gives its credentials to the agent; then the values, the fault's alarm and its ticket are looked for in
/// the API and on the dashboard, and every change in the audit log with who made it.
/// </summary>
public sealed class AdministratorEndToEndTests(ITestOutputHelper output)
{
    private const string OperatorUser = "ops";
    private const string OperatorPassword = "E2e-operator-passw0rd";
    private const string TenantId = "acme";
    private const string AdminUser = "acme-admin";
    private const string AdminPassword = "E2e-admin-passw0rd";
    private const string SiteId = "river-court";
    private const string ProfileId = "acme-tank-level";
    private const string DeviceId = "roof-tank";
    private const string RuleId = "roof-tank-low";
    private const string EdgeId = "edge-1";
    private const string Estate = "acme-e2e";
    private const string AuditSystemUser = "system"; // the alarm engine opens the ticket, not a person

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FlowTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task AdministratorEndToEnd_sets_up_an_estate_whose_values_alarm_and_ticket_reach_the_api_and_dashboard_and_every_change_is_audited()
    {
        var root = RepositoryRoot.Path;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/{Configuration}/net10.0/
        var scratch = Directory.CreateTempSubdirectory("propertyeba-admin-e2e-").FullName;
        var webPort = FreePort.Next();
        var mqttPort = FreePort.Next();
        var tankPort = FreePort.Next();
        var controlPort = FreePort.Next();
        var baseUrl = $"http://127.0.0.1:{webPort}";

        ServerProcess? cloud = null, simulator = null, edge = null;
        IPlaywright? playwright = null;
        IBrowser? browser = null;
        try
        {
            // 1. The cloud, demo off: nothing exists but the platform operator given here.
            var cloudData = Path.Combine(scratch, "cloud");
            Directory.CreateDirectory(cloudData);
            cloud = ServerProcess.Start("dotnet",
            [
                BuiltAssembly(root, "cloud/PropertyEba.Cloud", configuration, "PropertyEba.Cloud.dll"),
                $"--Urls={baseUrl}", $"--Mqtt:Port={mqttPort}", $"--Persistence:DataDirectory={cloudData}", "--DemoEstate:Enabled=false",
                $"--Identity:PlatformOperator:UserName={OperatorUser}", $"--Identity:PlatformOperator:Password={OperatorPassword}",
            ], workDir: cloudData);
            await cloud.WaitForOutputAsync($"Dashboard: {baseUrl}", StartTimeout);
            using var anonymous = new HttpClient { BaseAddress = new Uri(baseUrl) };
            await Eventually.UntilAsync(async ct => (await anonymous.GetAsync("/healthz", ct)).IsSuccessStatusCode, "/healthz to answer 200", StartTimeout);

            // 2. The platform operator creates the tenant and its first administrator.
            using var platform = await SignedInAsync(baseUrl, OperatorUser, OperatorPassword);
            await ShouldSucceedAsync(await platform.PostAsJsonAsync("/api/platform/tenants", new CreateTenantRequest(TenantId, "Acme Property", "阿克米物业")));
            await ShouldSucceedAsync(await platform.PostAsJsonAsync($"/api/platform/tenants/{TenantId}/administrators",
                new CreateUserRequest(AdminUser, AdminPassword, [Roles.Administrator], "Acme administrator")));

            // 3. The administrator signs in and builds the estate.
            using var admin = await SignedInAsync(baseUrl, AdminUser, AdminPassword);
            var t = $"/api/tenants/{TenantId}";
            await ShouldSucceedAsync(await admin.PostAsJsonAsync($"{t}/sites", new SiteRequest(SiteId, "River Court", "江畔庭院", "Asia/Shanghai",
                "1 River Road, Shanghai", new GeofenceDto(31.2304, 121.4737, 300))));
            await ShouldSucceedAsync(await admin.PostAsJsonAsync($"{t}/sites/{SiteId}/locations", new LocationRequest("pump-room-b1", "pump-room", "Pump room B1", "B1水泵房")));

            // The shipped tank transmitter's profile, uploaded under the tenant's own id (as a company does for its model).
            var profile = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "edge", "profiles", "water-tank-level.json")))!;
            profile["model"] = ProfileId;
            var profileJson = profile.ToJsonString();
            await ShouldSucceedAsync(await admin.PostAsync($"{t}/device-profiles", new StringContent(profileJson, Encoding.UTF8, "application/json")));

            await ShouldSucceedAsync(await admin.PostAsJsonAsync($"{t}/sites/{SiteId}/devices", new DeviceRequest(DeviceId, "Roof tank", ProfileId,
                Connection: new DeviceConnectionDto("tcp", "127.0.0.1", tankPort, UnitId: 1), NameZh: "屋顶水箱", LocationId: "pump-room-b1", SystemId: "water")));
            await ShouldSucceedAsync(await admin.PostAsJsonAsync($"{t}/alarm-rules", new AlarmRuleRequest(RuleId, "Roof tank low level", "level", "BelowLimit", 0.5,
                NameZh: "屋顶水箱低水位", SiteId: SiteId, DeviceId: DeviceId, Severity: "Urgent", OpensTicket: true)));

            using var provisioned = await admin.PostAsJsonAsync($"{t}/sites/{SiteId}/edges", new ProvisionEdgeRequest(EdgeId));
            await ShouldHaveSucceededAsync(provisioned);
            var credentials = (await provisioned.Content.ReadFromJsonAsync<EdgeCredentialsDto>())!;
            credentials.Password.ShouldNotBeNullOrWhiteSpace("the secret is shown once, at provisioning");

            // 4. The simulator serves the tank on the port the device was registered with; its control port takes the fault later.
            var estateFile = Path.Combine(scratch, "estate.json");
            await File.WriteAllTextAsync(estateFile, JsonSerializer.Serialize(new
            {
                name = Estate,
                timeZone = "Asia/Shanghai",
                host = "127.0.0.1",
                devices = new[]
                {
                    // No pump set fills it: the level stays where it starts (a slow draw on the daily profile) until the fault drains it.
                    new { id = DeviceId, model = "water-tank-level", unitId = 1, port = tankPort, parameters = new { heightM = 3.0, areaM2 = 8, initialLevelM = 2.0 } },
                },
            }));
            simulator = ServerProcess.Start("dotnet",
            [
                BuiltAssembly(root, "simulators/PropertyEba.Simulators", configuration, "PropertyEba.Simulators.dll"),
                "run", estateFile, "--control-port", controlPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ]);
            await simulator.WaitForTcpAsync(tankPort, StartTimeout);
            await simulator.WaitForTcpAsync(controlPort, StartTimeout);

            // 5. The standalone agent with the provisioned credentials.
            // Workaround: the agent reads appsettings.json from beside its binaries, and that file ships example devices
            // (Edge:Devices:0..2); configuration merges arrays by index, so --Edge:Devices:0:... would replace only the
            // first and the agent would still poll the other two. As an installation does (publish, then edit its
            // appsettings.json), the test copies the built agent to a folder of its own and writes its settings there.
            // The profile it reads is the very file the administrator uploaded.
            var agentDir = Path.Combine(scratch, "edge");
            CopyDirectory(Path.Combine(root, "edge", "PropertyEba.Edge", "bin", configuration, "net10.0"), agentDir);
            var agentProfiles = Path.Combine(scratch, "edge-profiles");
            Directory.CreateDirectory(agentProfiles);
            await File.WriteAllTextAsync(Path.Combine(agentProfiles, ProfileId + ".json"), profileJson);
            await File.WriteAllTextAsync(Path.Combine(agentDir, "appsettings.json"), JsonSerializer.Serialize(new
            {
                Edge = new
                {
                    Tenant = TenantId,
                    Site = SiteId,
                    EdgeId,
                    Mqtt = new { Host = "127.0.0.1", Port = mqttPort, Username = credentials.Username },
                    PollInterval = "00:00:00.5",
                    BufferDirectory = Path.Combine(scratch, "edge-buffer"),
                    ProfilesDirectory = agentProfiles,
                    Devices = new[] { new { DeviceId, Model = ProfileId, Host = "127.0.0.1", Port = tankPort, UnitId = 1 } },
                },
                Serilog = new { Using = new[] { "Serilog.Sinks.Console" }, MinimumLevel = new { Default = "Information" }, WriteTo = new[] { new { Name = "Console" } } },
            }));
            var agentWork = Path.Combine(scratch, "edge-work");
            Directory.CreateDirectory(agentWork);
            // The secret in the environment, not the file, as docs/edge.md advises for a real site.
            edge = ServerProcess.Start("dotnet", [Path.Combine(agentDir, "PropertyEba.Edge.dll")], workDir: agentWork,
                env: new Dictionary<string, string> { ["Edge__Mqtt__Password"] = credentials.Password });

            // 6a. Its values in the API...
            var devices = await Eventually.UntilAsync(
                async ct => (await admin.GetFromJsonAsync<List<DeviceDto>>($"{t}/sites/{SiteId}/devices", ct))!,
                list => list.Any(d => d.DeviceId == DeviceId && d.Points.Any(p => p.PointId == "level" && p.Quality == "good" && p.Value > 0.5)),
                $"the tank's level to arrive through the edge (edge: {edge.Output})", FlowTimeout);
            devices.Single().Name.ShouldBe("Roof tank");
            (await admin.GetFromJsonAsync<List<SiteDto>>($"{t}/sites"))!.Single(s => s.SiteId == SiteId).EdgeOnline.ShouldBeTrue();

            // ...and on the dashboard, signed in through the sign-in page.
            var chromium = Prerequisite.Program("chromium", "chromium", "/usr/bin/chromium");
            playwright = await Playwright.CreateAsync();
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
            await page.GotoAsync(baseUrl + "/");
            await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
            await page.GetByTestId("signin-user").FillAsync(AdminUser);
            await page.GetByTestId("signin-password").FillAsync(AdminPassword);
            await page.GetByTestId("signin-submit").ClickAsync();
            await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));

            await Assertions.Expect(page.GetByTestId("edge-status")).ToHaveTextAsync("网关在线");
            await Assertions.Expect(page.GetByTestId($"device-{DeviceId}")).ToContainTextAsync("屋顶水箱");
            await Assertions.Expect(page.GetByTestId($"value-{DeviceId}-level")).ToContainTextAsync(" m");
            await ScreenshotAsync(page, "admin-e2e-overview-desktop.png");
            await page.SetViewportSizeAsync(390, 844);
            await Assertions.Expect(page.GetByTestId($"value-{DeviceId}-level")).ToBeVisibleAsync();
            // The site bar wraps at a phone's width: the heading stays on one line (it was squeezed to one character a line).
            // Measured once it is laid out at the new width: just after the resize (and between two renders of the live
            // page) the heading can be in the page with no box yet.
            var headingHeight = await Eventually.UntilAsync(
                _ => page.GetByTestId("site-heading").EvaluateAsync<double>("e => e.getBoundingClientRect().height"),
                height => height > 0, "the site heading laid out at 390 px", TimeSpan.FromSeconds(15));
            headingHeight.ShouldBeLessThan(40, "管理区 on one line");
            await ScreenshotAsync(page, "admin-e2e-overview-390.png");
            await page.SetViewportSizeAsync(1400, 1000);

            // 6b. The fault: the tank drains below the rule's 0.5 m.
            using (var control = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{controlPort}") })
            {
                await ShouldSucceedAsync(await control.PostAsJsonAsync($"/estates/{Estate}/faults", new { fault = "tank-low", device = DeviceId }));
            }

            var alarm = await Eventually.UntilAsync(
                async ct => (await admin.GetFromJsonAsync<List<AlarmDto>>($"{t}/alarms?active=true", ct))!,
                list => list.Any(a => a.RuleId == RuleId && a.TicketId is not null),
                "the rule's alarm, with its ticket", FlowTimeout);
            var raised = alarm.Single(a => a.RuleId == RuleId);
            raised.SiteId.ShouldBe(SiteId);
            raised.DeviceId.ShouldBe(DeviceId);
            raised.Value!.Value.ShouldBeLessThan(0.5);
            var tickets = (await admin.GetFromJsonAsync<List<TicketDto>>($"{t}/tickets?open=true"))!;
            var ticket = tickets.Single(x => x.Id == raised.TicketId);
            ticket.AlarmId.ShouldBe(raised.Id);
            ticket.SiteId.ShouldBe(SiteId);
            await ShouldSucceedAsync(await admin.PostAsJsonAsync($"{t}/alarms/{raised.Id}/acknowledge", new AcknowledgeAlarmRequest("seen on the dashboard")));

            // The alarm arrives on the open page over its live connection; the ticket is on the tickets page.
            await Assertions.Expect(page.GetByTestId($"alarm-{RuleId}").First).ToHaveTextAsync("屋顶水箱低水位", new() { Timeout = 30_000 });
            await ScreenshotAsync(page, "admin-e2e-alarm-desktop.png");
            // On a phone the alarm is a card whose message fits the screen (the grid's message column would not).
            await page.SetViewportSizeAsync(390, 844);
            var card = page.GetByTestId($"alarm-card-{RuleId}").First;
            await Assertions.Expect(card).ToBeVisibleAsync();
            await Assertions.Expect(card).ToContainTextAsync("屋顶水箱低水位");
            (await card.EvaluateAsync<double>("e => e.getBoundingClientRect().right")).ShouldBeLessThanOrEqualTo(390, "the card fits the phone's width");
            await Assertions.Expect(page.GetByTestId($"alarm-{RuleId}").First).Not.ToBeVisibleAsync();
            await ScreenshotAsync(page, "admin-e2e-alarm-390.png");
            await page.SetViewportSizeAsync(1400, 1000);
            await page.GetByTestId("nav-tickets").ClickAsync();
            await Assertions.Expect(page.GetByTestId("ticket-title").Filter(new() { HasText = "屋顶水箱低水位" }).First).ToBeVisibleAsync();
            await ScreenshotAsync(page, "admin-e2e-ticket-desktop.png");

            // 6c. Every change in the tenant's audit log with who made it: the administrator's own, and the operator's
            // creation of the administrator. Tenants are the platform's: their creation is in the platform log.
            var audit = (await admin.GetFromJsonAsync<List<AuditEntryDto>>($"{t}/audit?limit=1000"))!;
            output.WriteLine(string.Join('\n', audit.Select(a => $"{a.UserName} {a.Action} {a.Target}")));
            ShouldHold(audit, OperatorUser, "user.create", $"user/{AdminUser}");
            ShouldHold(audit, AdminUser, "site.create", $"site/{SiteId}");
            ShouldHold(audit, AdminUser, "location.create", "pump-room-b1");
            ShouldHold(audit, AdminUser, "profile.upload", ProfileId);
            ShouldHold(audit, AdminUser, "device.create", DeviceId);
            ShouldHold(audit, AdminUser, "rule.create", RuleId);
            ShouldHold(audit, AdminUser, "edge.provision", EdgeId);
            ShouldHold(audit, AdminUser, "alarm.acknowledge", $"alarm/{raised.Id}");
            ShouldHold(audit, AuditSystemUser, "ticket.open", ticket.Number);
            var platformAudit = (await platform.GetFromJsonAsync<List<AuditEntryDto>>("/api/platform/audit"))!;
            ShouldHold(platformAudit, OperatorUser, "tenant.create", $"tenant/{TenantId}");

            await page.CloseAsync();
        }
        finally
        {
            if (browser is not null)
            {
                await browser.CloseAsync();
            }

            playwright?.Dispose();
            foreach (var process in new[] { edge, simulator, cloud })
            {
                if (process is not null)
                {
                    output.WriteLine($"---- {process.ProcessId}\n{Tail(process.Output)}");
                    await process.DisposeAsync();
                }
            }

            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
                // A log file still flushing; the OS cleans temp later.
            }
        }
    }

    // The log names a person as "display name (user name)" (EbaClaims.CallerOf); background work as "system".
    private static void ShouldHold(IReadOnlyList<AuditEntryDto> audit, string userName, string action, string targetContains) =>
        audit.Any(a => a.Action == action && a.Target.Contains(targetContains, StringComparison.Ordinal)
                && (a.UserName == userName || a.UserName.EndsWith($"({userName})", StringComparison.Ordinal)))
            .ShouldBeTrue($"the audit log should hold {action} of {targetContains} by {userName}; it holds:\n"
                + string.Join('\n', audit.Select(a => $"{a.UserName} {a.Action} {a.Target}")));

    private static async Task<HttpClient> SignedInAsync(string baseUrl, string userName, string password)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        using var token = await http.PostAsJsonAsync("/api/auth/token", new TokenRequest(userName, password));
        token.StatusCode.ShouldBe(HttpStatusCode.OK, await token.Content.ReadAsStringAsync());
        var accessToken = (await token.Content.ReadFromJsonAsync<AccessTokenResponse>())!.AccessToken;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }

    private static async Task ShouldSucceedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            await ShouldHaveSucceededAsync(response);
        }
    }

    // Leaves the response to the caller, who reads its body next.
    private static async Task ShouldHaveSucceededAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.IsSuccessStatusCode.ShouldBeTrue($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
    }

    private static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ArtifactsDirectory, name), FullPage = true });

    private static string BuiltAssembly(string root, string project, string configuration, string dll)
    {
        var path = Path.Combine(root, project, "bin", configuration, "net10.0", dll);
        File.Exists(path).ShouldBeTrue($"{project} should be built at {path}");
        return path;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];
}
