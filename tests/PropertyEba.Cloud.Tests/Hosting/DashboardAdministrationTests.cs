using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using PropertyEba.Cloud.Dashboard;
using PropertyEba.Cloud.Identity;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>
/// The administrator pages' service as a dashboard session uses it: the session's user comes from the real claims
/// factory (as at sign-in), and every answer is checked against what the REST API then shows.
/// </summary>
[Collection(CloudHostCollection.Name)]
public sealed class DashboardAdministrationTests(CloudHostFixture host)
{
    private const string Tenant = CloudHostFixture.Tenant;
    private static readonly string TankProfileJson = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "profiles", "water-tank-level.json"));

    [Fact]
    public async Task A_technician_is_refused_every_change_as_the_api_would_and_nothing_is_written()
    {
        await using var session = await SessionAsync(host.Services.GetRequiredService<InitialSignIns>().For(Roles.Technician, Tenant).UserName);
        var admin = session.Admin;

        (await admin.GetAccessAsync()).ShouldBe(AdminAccess.None);
        var site = await admin.CreateSiteAsync(Tenant, new SiteRequest("tech-site", "Technician's"), CancellationToken.None);
        site.Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.UploadProfileAsync(Tenant, TankProfileJson, CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.CreateRuleAsync(Tenant, new AlarmRuleRequest("tech-rule", "x", "level", "BelowLimit", 1), CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.ListUsersAsync(Tenant, CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.ListAuditAsync(Tenant, null, 10, CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);

        // Reading the tenant's sites is every member's right, here as in the API.
        (await admin.ListSitesAsync(Tenant, CancellationToken.None)).Value.ShouldNotBeNull().ShouldContain(s => s.SiteId == CloudHostFixture.Site);
        (await host.Api.GetAsync($"/api/tenants/{Tenant}/sites/tech-site")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_administrator_reaches_only_their_own_tenant()
    {
        await using var session = await SessionAsync(host.Services.GetRequiredService<InitialSignIns>().For(Roles.Administrator, Tenant).UserName);
        var admin = session.Admin;

        (await admin.GetAccessAsync()).ShouldBe(new AdminAccess(true, true, true, true));
        (await admin.ListSitesAsync("other-tenant", CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.CreateSiteAsync("other-tenant", new SiteRequest("foreign", "Foreign"), CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.ListUsersAsync("other-tenant", CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.ListAuditAsync("other-tenant", null, 10, CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
    }

    [Fact]
    public async Task An_administrator_builds_a_site_with_a_device_and_a_rule_that_the_api_and_the_audit_log_show()
    {
        var adminName = host.Services.GetRequiredService<InitialSignIns>().For(Roles.Administrator, Tenant).UserName;
        await using var session = await SessionAsync(adminName);
        var admin = session.Admin;
        var siteId = $"ui-{Guid.NewGuid():N}"[..12];
        var profileId = $"tank-{Guid.NewGuid():N}"[..14];

        (await admin.CreateSiteAsync(Tenant, new SiteRequest(siteId, "Lakeside", "湖畔花园", "Asia/Shanghai", "1 Lake Road", new GeofenceDto(22.5, 114.05, 300)), CancellationToken.None))
            .Value.ShouldNotBeNull().TimeZone.ShouldBe("Asia/Shanghai");
        (await admin.CreateLocationAsync(Tenant, siteId, new LocationRequest("pump-1", "pump-room", "Pump room", "水泵房"), CancellationToken.None)).Succeeded.ShouldBeTrue();
        var profile = (await admin.UploadProfileAsync(Tenant, TankProfileJson.Replace("\"water-tank-level\"", $"\"{profileId}\"", StringComparison.Ordinal), CancellationToken.None)).Value.ShouldNotBeNull();
        profile.Version.ShouldBe(1);
        var device = (await admin.CreateDeviceAsync(Tenant, siteId, new DeviceRequest("tank-1", "Roof tank", profileId, Connection: new DeviceConnectionDto("tcp", "127.0.0.1", 1502, UnitId: 3),
            LocationId: "pump-1", Ledger: new DeviceLedgerDto(AssetNumber: "ZC-0001", InstalledOn: new DateOnly(2024, 5, 1))), CancellationToken.None)).Value.ShouldNotBeNull();
        var point = device.Points[0].PointId;
        (await admin.OverridePointAsync(Tenant, siteId, "tank-1", point, new PointOverrideDto(Unit: "cm"), CancellationToken.None)).Value.ShouldNotBeNull().Unit.ShouldBe("cm");
        (await admin.CreateRuleAsync(Tenant, new AlarmRuleRequest($"{siteId}-low", "Tank low", point, "BelowLimit", 10, "水箱低水位", siteId, "tank-1"), CancellationToken.None))
            .Succeeded.ShouldBeTrue();
        (await admin.SetRuleEnabledAsync(Tenant, $"{siteId}-low", false, CancellationToken.None)).Value.ShouldNotBeNull().Enabled.ShouldBeFalse();

        var viaApi = await host.Api.GetFromJsonAsync<DeviceDetailDto>($"/api/tenants/{Tenant}/sites/{siteId}/devices/tank-1");
        viaApi.ShouldNotBeNull().Ledger.AssetNumber.ShouldBe("ZC-0001");
        (await host.Api.GetFromJsonAsync<List<AlarmRuleDto>>($"/api/tenants/{Tenant}/alarm-rules")).ShouldNotBeNull()
            .ShouldContain(r => r.RuleId == $"{siteId}-low" && !r.Enabled && r.DeviceId == "tank-1");
        var audit = (await admin.ListAuditAsync(Tenant, "site.create", 50, CancellationToken.None)).Value.ShouldNotBeNull();
        audit.ShouldAllBe(a => a.Action == "site.create");
        audit.ShouldContain(a => a.Target == $"site/{siteId}" && a.UserName.Contains(adminName));

        // The export is the API's file and imports again under another id.
        var json = (await admin.ExportSiteAsync(Tenant, siteId, CancellationToken.None)).Value.ShouldNotBeNull();
        var copy = $"{siteId}-b";
        var imported = await admin.ImportSiteAsync(Tenant, json.Replace($"\"siteId\": \"{siteId}\"", $"\"siteId\": \"{copy}\"", StringComparison.Ordinal).Replace($"{siteId}-low", $"{copy}-low", StringComparison.Ordinal), CancellationToken.None);
        imported.Problem.ShouldBeNull();
        imported.Value.ShouldNotBeNull().Devices.ShouldBe(1);
    }

    [Fact]
    public async Task Refusals_carry_every_field_the_service_names_and_a_broken_file_says_where()
    {
        await using var session = await SessionAsync(host.Services.GetRequiredService<InitialSignIns>().For(Roles.Administrator, Tenant).UserName);
        var admin = session.Admin;

        var bad = await admin.CreateSiteAsync(Tenant, new SiteRequest("no spaces", null, TimeZone: "Mars/Olympus", Geofence: new GeofenceDto(95, 114, 5)), CancellationToken.None);
        var problem = bad.Problem.ShouldNotBeNull();
        problem.Errors.Keys.ShouldBe(["siteId", "name", "timeZone", "geofence.latitude", "geofence.radiusM"], ignoreOrder: true);
        problem.For("TIMEZONE").ShouldHaveSingleItem().ShouldContain("Mars/Olympus");

        var profile = await admin.UploadProfileAsync(Tenant, "{\"model\": \"x\"}", CancellationToken.None);
        profile.Problem.ShouldNotBeNull().Errors.ShouldContainKey("profile");

        var file = await admin.ImportSiteAsync(Tenant, "{\"formatVersion\": 1, \"site\": [", CancellationToken.None);
        file.Problem.ShouldNotBeNull().For("file").ShouldHaveSingleItem().ShouldContain("line");
    }

    [Fact]
    public async Task An_engineer_manages_rules_but_not_equipment_and_an_installer_the_reverse()
    {
        await using var engineer = await SessionAsync(host.Services.GetRequiredService<InitialSignIns>().For(Roles.Engineer, Tenant).UserName);
        (await engineer.Admin.GetAccessAsync()).ShouldBe(new AdminAccess(false, false, true, false));
        (await engineer.Admin.ListRulesAsync(Tenant, CancellationToken.None)).Succeeded.ShouldBeTrue();
        (await engineer.Admin.CreateDeviceAsync(Tenant, CloudHostFixture.Site, new DeviceRequest("eng-dev", "x", "water-tank-level"), CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);

        await using var installer = await SessionAsync(host.Services.GetRequiredService<InitialSignIns>().For(Roles.Installer, Tenant).UserName);
        (await installer.Admin.GetAccessAsync()).ShouldBe(new AdminAccess(false, true, false, false));
        (await installer.Admin.ListProfilesAsync(Tenant, CancellationToken.None)).Value.ShouldNotBeNull().ShouldContain(p => p.BuiltIn);
        (await installer.Admin.CreateRuleAsync(Tenant, new AlarmRuleRequest("inst-rule", "x", "level", "BelowLimit", 1), CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await installer.Admin.CreateSiteAsync(Tenant, new SiteRequest("inst-site", "x"), CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
    }

    [Fact]
    public async Task A_user_created_without_a_password_gets_a_generated_one_that_signs_in()
    {
        await using var session = await SessionAsync(host.Services.GetRequiredService<InitialSignIns>().For(Roles.Administrator, Tenant).UserName);
        var userName = $"ui-tech-{Guid.NewGuid():N}"[..20];

        var created = (await session.Admin.CreateUserAsync(Tenant, new CreateUserRequest(userName, null, [Roles.Technician], "新技工", [CloudHostFixture.Site]), CancellationToken.None)).Value.ShouldNotBeNull();
        created.Password.Length.ShouldBeGreaterThanOrEqualTo(12);
        using (var client = await host.SignInAsync(userName, created.Password))
        {
            (await client.GetAsync($"/api/tenants/{Tenant}/sites/{CloudHostFixture.Site}/devices")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var noRole = await session.Admin.CreateUserAsync(Tenant, new CreateUserRequest($"{userName}-x", null, []), CancellationToken.None);
        noRole.Problem.ShouldNotBeNull().Errors.ShouldContainKey("roles");
        var locked = (await session.Admin.UpdateUserAsync(Tenant, userName, new UpdateUserRequest([Roles.Engineer], null, Locked: true), CancellationToken.None)).Value.ShouldNotBeNull();
        locked.Roles.ShouldBe([Roles.Engineer]);
        locked.LockedUntil.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_technician_is_refused_every_edge_change_and_no_edge_is_provisioned()
    {
        await using var session = await SessionAsync(host.Services.GetRequiredService<InitialSignIns>().For(Roles.Technician, Tenant).UserName);
        var admin = session.Admin;
        var edgeId = $"tech-{Guid.NewGuid():N}"[..12];

        (await admin.ListEdgesAsync(Tenant, CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.ProvisionEdgeAsync(Tenant, CloudHostFixture.Site, new ProvisionEdgeRequest(edgeId), CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.RotateEdgeSecretAsync(Tenant, CloudHostFixture.Site, "tech-edge", CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.SetEdgeEnabledAsync(Tenant, CloudHostFixture.Site, "tech-edge", false, CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.DeleteEdgeAsync(Tenant, CloudHostFixture.Site, "tech-edge", CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.ListPendingEdgesAsync(Tenant, CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);
        (await admin.AdoptPendingEdgeAsync(Tenant, "someone", CancellationToken.None)).Problem.ShouldBeSameAs(AdminProblem.Forbidden);

        var edges = await host.Api.GetFromJsonAsync<List<EdgeDto>>($"/api/tenants/{Tenant}/edges");
        edges.ShouldNotBeNull().ShouldNotContain(e => e.EdgeId == edgeId);
    }

    [Fact]
    public async Task An_installer_provisions_rotates_and_disables_an_edge_and_the_audit_log_names_the_installer()
    {
        var installerName = host.Services.GetRequiredService<InitialSignIns>().For(Roles.Installer, Tenant).UserName;
        await using var installer = await SessionAsync(installerName);
        var admin = installer.Admin;
        var edgeId = $"inst-{Guid.NewGuid():N}"[..12];

        var provisioned = (await admin.ProvisionEdgeAsync(Tenant, CloudHostFixture.Site, new ProvisionEdgeRequest(edgeId), CancellationToken.None)).Value.ShouldNotBeNull();
        provisioned.Credentials.Username.ShouldBe($"eba-{Tenant}-{CloudHostFixture.Site}-{edgeId}");
        provisioned.Credentials.Password.ShouldNotBeNullOrEmpty();
        provisioned.MqttPort.ShouldBeGreaterThan(0);
        provisioned.MqttHost.ShouldNotBeNullOrWhiteSpace();

        var rotated = (await admin.RotateEdgeSecretAsync(Tenant, CloudHostFixture.Site, edgeId, CancellationToken.None)).Value.ShouldNotBeNull();
        rotated.Credentials.Password.ShouldNotBeNullOrEmpty();
        rotated.Credentials.Password.ShouldNotBe(provisioned.Credentials.Password);
        (await admin.SetEdgeEnabledAsync(Tenant, CloudHostFixture.Site, edgeId, false, CancellationToken.None)).Value.ShouldNotBeNull().Enabled.ShouldBeFalse();
        (await admin.ListEdgesAsync(Tenant, CancellationToken.None)).Value.ShouldNotBeNull().ShouldContain(e => e.EdgeId == edgeId && !e.Enabled);

        // The service's refusals come back with the field they are about, and a second provisioning is a conflict.
        (await admin.ProvisionEdgeAsync(Tenant, CloudHostFixture.Site, new ProvisionEdgeRequest("no spaces"), CancellationToken.None))
            .Problem.ShouldNotBeNull().For("edgeId").ShouldHaveSingleItem().ShouldContain("no spaces");
        (await admin.ProvisionEdgeAsync(Tenant, CloudHostFixture.Site, new ProvisionEdgeRequest(edgeId), CancellationToken.None)).Problem.ShouldNotBeNull().Title.ShouldBe("Edge exists");

        var target = $"edge/{CloudHostFixture.Site}/{edgeId}";
        foreach (var action in new[] { "edge.provision", "edge.rotate-secret", "edge.disable" })
        {
            var audit = await host.Api.GetFromJsonAsync<List<AuditEntryDto>>($"/api/tenants/{Tenant}/audit?action={action}&limit=200");
            audit.ShouldNotBeNull().ShouldContain(a => a.Action == action && a.Target == target && a.UserName.Contains(installerName), $"audit of {action}");
        }

        (await admin.DeleteEdgeAsync(Tenant, CloudHostFixture.Site, edgeId, CancellationToken.None)).Succeeded.ShouldBeTrue();
        (await admin.DeleteEdgeAsync(Tenant, CloudHostFixture.Site, edgeId, CancellationToken.None)).Problem.ShouldNotBeNull().Title.ShouldBe("No such edge");
    }

    [Fact]
    public async Task An_installer_adopts_a_waiting_edge_whose_shown_settings_connect_to_the_broker()
    {
        await using var installer = await SessionAsync(host.Services.GetRequiredService<InitialSignIns>().For(Roles.Installer, Tenant).UserName);
        var admin = installer.Admin;
        var clientId = $"eba-{Tenant}-ui-site-gw-{Guid.NewGuid():N}"[..36];
        var topic = $"eba/v1/{Tenant}/ui-site/gw-ui/telemetry";
        var (brokerHost, brokerPort) = host.Broker;
        using (var waiting = new MqttClientFactory().CreateMqttClient())
        {
            await waiting.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(brokerHost, brokerPort).WithClientId(clientId).WithProtocolVersion(MqttProtocolVersion.V500).Build());
            (await waiting.PublishAsync(EdgeAuthenticationTests.Message(topic, EdgeAuthenticationTests.Batch("gw-ui", 1, "meter-ui", "kwh")))).ReasonCode
                .ShouldBe(MqttClientPublishReasonCode.NotAuthorized);
        }

        var seen = (await admin.ListPendingEdgesAsync(Tenant, CancellationToken.None)).Value.ShouldNotBeNull().Where(p => p.ClientId == clientId).ShouldHaveSingleItem();
        (seen.ClaimedSiteId, seen.ClaimedEdgeId, seen.Attempts).ShouldBe(("ui-site", "gw-ui", 1L));

        var adopted = (await admin.AdoptPendingEdgeAsync(Tenant, clientId, CancellationToken.None)).Value.ShouldNotBeNull();
        adopted.Credentials.Username.ShouldBe(clientId);
        (adopted.Credentials.Edge.SiteId, adopted.Credentials.Edge.EdgeId).ShouldBe(("ui-site", "gw-ui"));
        (await admin.ListPendingEdgesAsync(Tenant, CancellationToken.None)).Value.ShouldNotBeNull().ShouldNotContain(p => p.ClientId == clientId);
        (await admin.AdoptPendingEdgeAsync(Tenant, clientId, CancellationToken.None)).Problem.ShouldNotBeNull().Title.ShouldBe("No such waiting edge");

        // What the page shows the installer is enough to connect.
        using var edge = new MqttClientFactory().CreateMqttClient();
        var connected = await edge.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(adopted.MqttHost, adopted.MqttPort).WithClientId(adopted.Credentials.Username)
            .WithCredentials(adopted.Credentials.Username, adopted.Credentials.Password).WithProtocolVersion(MqttProtocolVersion.V500).Build());
        connected.ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
        await edge.DisconnectAsync();
    }

    /// <summary>A dashboard session (a DI scope, as a circuit has) signed in as <paramref name="userName"/>.</summary>
    private async Task<Session> SessionAsync(string userName)
    {
        var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<EbaUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No user {userName}.");
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<EbaUser>>().CreateAsync(user);
        ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        scope.ServiceProvider.GetRequiredService<CircuitCaller>().Set(EbaClaims.CallerOf(principal));
        return new Session(scope, scope.ServiceProvider.GetRequiredService<IDashboardAdministration>());
    }

    private sealed record Session(AsyncServiceScope Scope, IDashboardAdministration Admin) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Scope.DisposeAsync();
    }
}
