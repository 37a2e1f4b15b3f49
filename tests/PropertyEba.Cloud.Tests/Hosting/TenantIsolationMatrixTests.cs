using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;
using Xunit.Abstractions;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>
/// Two tenants, a user of every role in each. For every operation of the OpenAPI document — so a new route cannot
/// escape — a stranger gets 401, a user of the other tenant gets 403, and a role gets 403 for what it may not do and
/// gets past authorization for what it may. The hub the same way.
/// </summary>
[Collection(CloudHostCollection.Name)]
public sealed class TenantIsolationMatrixTests(CloudHostFixture host, ITestOutputHelper output)
{
    private const string OtherTenant = "acme-property";

    private static readonly string[] Admin = [Roles.Administrator];
    private static readonly string[] Equipment = [Roles.Administrator, Roles.Installer];
    private static readonly string[] RuleEditors = [Roles.Administrator, Roles.Engineer];
    private static readonly string[] Commanders = [Roles.Administrator, Roles.Engineer];
    private static readonly string[] Operators = [Roles.Administrator, Roles.Engineer, Roles.Technician];
    private static readonly string[] Members = [.. Roles.TenantRoles];
    private static readonly string[] PlatformOnly = [Roles.PlatformOperator];
    private static readonly string[] Anyone = [];

    /// <summary>
    /// Who may call each operation (by its OpenAPI operation id). <see cref="Anyone"/>: also without signing in.
    /// A new operation fails the test until it is listed here with the roles its policy allows.
    /// </summary>
    private static readonly Dictionary<string, string[]> AllowedRoles = new()
    {
        ["IssueToken"] = Anyone,
        ["RefreshToken"] = Anyone,
        ["GetCaller"] = [.. Roles.All],
        ["ListSites"] = Members,
        ["ListDevices"] = Members,
        ["GetPointHistory"] = Members,
        ["GetTelemetryAggregates"] = Members,
        ["GetTelemetryConsumption"] = Members,
        ["GetTelemetryRaw"] = Members,
        ["ListAlarms"] = Members,
        ["AcknowledgeAlarm"] = Operators,
        ["ResetAlarm"] = Operators,
        ["ShelveAlarm"] = Operators,
        ["UnshelveAlarm"] = Operators,
        ["SetAlarmOutOfService"] = Operators,
        ["CommentOnAlarm"] = Operators,
        ["ListAlarmComments"] = Members,
        ["ListAlarmRules"] = Members,
        ["ListTickets"] = Members,
        ["GetTicket"] = Members,
        ["ApplyTicketAction"] = Operators,
        ["CreateTicket"] = Operators,
        ["UploadTicketPhoto"] = Operators,
        ["ListTicketPhotos"] = Members,
        ["GetTicketPhoto"] = Members,
        ["ListTeams"] = Members,
        ["PutTeam"] = Admin,
        ["GetRota"] = Members,
        ["PutRota"] = Admin,
        ["GetOnCall"] = Members,
        ["ListTimeStandards"] = Members,
        ["PutTimeStandard"] = Admin,
        ["GetDispatchBoard"] = Members,
        ["GetDailyReview"] = Members,
        ["GetPerformance"] = Members,
        ["GetMyNotificationPreferences"] = Members,
        ["SetMyNotificationPreferences"] = Members,
        ["GetPushPublicKey"] = Members,
        ["SubscribePush"] = Members,
        ["UnsubscribePush"] = Members,
        ["SendTestNotification"] = Members,
        ["ListMyNotifications"] = Members,
        ["ListNotificationDeliveries"] = Admin,
        ["ListWebhooks"] = Admin,
        ["AddWebhook"] = Admin,
        ["RemoveWebhook"] = Admin,
        ["ListUsers"] = Admin,
        ["CreateUser"] = Admin,
        ["UpdateUser"] = Admin,
        ["ListAuditEntries"] = Admin,
        ["ListPlatformAuditEntries"] = PlatformOnly,
        ["CreateTenantAdministrator"] = PlatformOnly,
        ["GetIngestionStats"] = PlatformOnly,
        ["GetDemoEstate"] = Equipment,
        ["InjectDemoFault"] = Equipment,
        ["ClearDemoFaults"] = Equipment,
        ["ListEdges"] = Equipment,
        ["ProvisionEdge"] = Equipment,
        ["RotateEdgeSecret"] = Equipment,
        ["SetEdgeDesiredConfig"] = Equipment,
        ["ClearEdgeDesiredConfig"] = Equipment,
        ["GetEdgeConfigStatus"] = Equipment,
        ["SendDeviceCommand"] = Commanders,
        ["ListDeviceCommands"] = Members,
        ["GetDeviceCommand"] = Members,
        ["SetEdgeEnabled"] = Equipment,
        ["DeleteEdge"] = Equipment,
        ["ListPendingEdges"] = Equipment,
        ["AdoptPendingEdge"] = Equipment,
        ["ListTenants"] = PlatformOnly,
        ["CreateTenant"] = PlatformOnly,
        ["RenameTenant"] = PlatformOnly,
        ["GetSite"] = Members,
        ["CreateSite"] = Admin,
        ["UpdateSite"] = Admin,
        ["ListBuildings"] = Members,
        ["CreateBuilding"] = Admin,
        ["UpdateBuilding"] = Admin,
        ["DeleteBuilding"] = Admin,
        ["ListLocations"] = Members,
        ["CreateLocation"] = Admin,
        ["UpdateLocation"] = Admin,
        ["DeleteLocation"] = Admin,
        ["ExportSite"] = Admin,
        ["ExportSiteForEdge"] = Admin,
        ["ImportSite"] = Admin,
        ["ListSystems"] = Members,
        ["CreateSystem"] = Admin,
        ["DeleteSystem"] = Admin,
        ["ListDeviceProfiles"] = Members,
        ["GetDeviceProfile"] = Members,
        ["UploadDeviceProfile"] = Equipment,
        ["GetDevice"] = Members,
        ["CreateDevice"] = Equipment,
        ["UpdateDevice"] = Equipment,
        ["DeleteDevice"] = Equipment,
        ["OverridePoint"] = Equipment,
        ["ResetPoint"] = Equipment,
        ["GetAlarmRule"] = Members,
        ["CreateAlarmRule"] = RuleEditors,
        ["UpdateAlarmRule"] = RuleEditors,
        ["EnableAlarmRule"] = RuleEditors,
        ["DisableAlarmRule"] = RuleEditors,
        ["DeleteAlarmRule"] = RuleEditors,
    };

    [Fact]
    public async Task Every_operation_refuses_strangers_other_tenants_and_roles_it_does_not_allow()
    {
        var operations = await OperationsAsync();
        operations.Select(o => o.Id).Where(id => !AllowedRoles.ContainsKey(id)).ShouldBeEmpty(
            "every operation of the OpenAPI document must be listed in AllowedRoles with the roles that may call it");

        using var stranger = host.CreateClient();
        var own = await ClientsAsync(CloudHostFixture.Tenant);
        var other = await ClientsAsync(OtherTenant);
        using var platform = await host.SignInAsAsync(Roles.PlatformOperator);
        var failures = new List<string>();
        var checkedCalls = 0;

        foreach (var op in operations)
        {
            var allowed = AllowedRoles[op.Id];
            var anonymous = allowed.Length == 0;

            var asStranger = await CallAsync(stranger, op, CloudHostFixture.Tenant);
            checkedCalls++;
            if (!anonymous && asStranger != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{op}: a stranger got {(int)asStranger}, expected 401");
            }

            if (anonymous)
            {
                continue;
            }

            foreach (var (role, client) in own)
            {
                var status = await CallAsync(client, op, CloudHostFixture.Tenant);
                checkedCalls++;
                var mayCall = allowed.Contains(role);
                if (mayCall && status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    failures.Add($"{op}: {role} of the tenant got {(int)status}, but the role may call it");
                }
                else if (!mayCall && status != HttpStatusCode.Forbidden)
                {
                    failures.Add($"{op}: {role} of the tenant got {(int)status}, expected 403");
                }
            }

            var platformStatus = await CallAsync(platform, op, CloudHostFixture.Tenant);
            checkedCalls++;
            if (allowed.Contains(Roles.PlatformOperator) != (platformStatus is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)))
            {
                failures.Add($"{op}: the platform operator got {(int)platformStatus}");
            }

            if (!op.Path.Contains("{tenantId}", StringComparison.Ordinal) && !op.Path.StartsWith("/api/demo", StringComparison.Ordinal))
            {
                continue;
            }

            // Users of another tenant, whatever their role, reach nothing of this one.
            foreach (var (role, client) in other)
            {
                var status = await CallAsync(client, op, CloudHostFixture.Tenant);
                checkedCalls++;
                if (status != HttpStatusCode.Forbidden)
                {
                    failures.Add($"{op}: {role} of {OtherTenant} got {(int)status} on {CloudHostFixture.Tenant}'s route, expected 403");
                }
            }
        }

        output.WriteLine($"{operations.Count} operations, {checkedCalls} calls checked");
        failures.ShouldBeEmpty();
        operations.Count.ShouldBeGreaterThan(15);
    }

    [Fact]
    public async Task Another_tenants_site_building_location_profile_device_and_rule_are_out_of_reach()
    {
        // Tenant B's estate, made by its own administrator through the API.
        var created = await host.Operator.PostAsJsonAsync("/api/platform/tenants", new CreateTenantRequest(OtherTenant, "Acme Property", "顶峰物业"));
        created.StatusCode.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.Conflict);
        using var otherAdmin = await host.SignInAsNewUserAsync(OtherTenant, Roles.Administrator);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (site, profile, device, rule) = ($"acme-{suffix}", $"acme-tank-{suffix}", "tank-1", $"acme-low-{suffix}");
        var b = $"/api/tenants/{OtherTenant}";
        (await otherAdmin.PostAsJsonAsync($"{b}/sites", new SiteRequest(site, "Acme Plaza"))).EnsureSuccessStatusCode();
        (await otherAdmin.PostAsJsonAsync($"{b}/sites/{site}/buildings", new BuildingRequest("b1", "B1"))).EnsureSuccessStatusCode();
        (await otherAdmin.PostAsJsonAsync($"{b}/sites/{site}/locations", new LocationRequest("pump-room", "pump-room", "Pump room"))).EnsureSuccessStatusCode();
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "profiles", "water-tank-level.json")).Replace("\"water-tank-level\"", $"\"{profile}\"", StringComparison.Ordinal);
        (await otherAdmin.PostAsync($"{b}/device-profiles", new StringContent(json, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await otherAdmin.PostAsJsonAsync($"{b}/sites/{site}/devices", new DeviceRequest(device, "Tank", profile, Connection: new DeviceConnectionDto("tcp", "10.1.1.1", 502, UnitId: 1)))).EnsureSuccessStatusCode();
        (await otherAdmin.PostAsJsonAsync($"{b}/alarm-rules", new AlarmRuleRequest(rule, "Low", "level", "BelowLimit", 0.5, SiteId: site, DeviceId: device))).EnsureSuccessStatusCode();

        // Tenant A's administrator: refused on B's routes, and B's ids do not exist on A's.
        var a = host.Api;
        foreach (var path in new[] { $"{b}/sites/{site}", $"{b}/sites/{site}/buildings", $"{b}/sites/{site}/locations", $"{b}/device-profiles/{profile}", $"{b}/sites/{site}/devices/{device}", $"{b}/alarm-rules/{rule}", $"{b}/sites/{site}/export", $"{b}/systems" })
        {
            (await a.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }

        (await a.PutAsJsonAsync($"{b}/sites/{site}", new SiteRequest(site, "Taken"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await a.PostAsync($"{b}/alarm-rules/{rule}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await a.DeleteAsync($"{b}/sites/{site}/devices/{device}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var own = $"/api/tenants/{CloudHostFixture.Tenant}";
        foreach (var path in new[] { $"{own}/sites/{site}", $"{own}/sites/{site}/buildings", $"{own}/device-profiles/{profile}", $"{own}/sites/{site}/devices/{device}", $"{own}/alarm-rules/{rule}", $"{own}/sites/{site}/export" })
        {
            (await a.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
        }

        (await a.PutAsJsonAsync($"{own}/sites/{site}", new SiteRequest(site, "Taken"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await a.PostAsync($"{own}/alarm-rules/{rule}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await a.PutAsJsonAsync($"{own}/sites/{site}/devices/{device}/points/level", new PointOverrideDto("Taken"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await a.GetFromJsonAsync<List<DeviceProfileDto>>($"{own}/device-profiles")).ShouldNotBeNull().ShouldNotContain(p => p.ProfileId == profile);

        // Untouched, as B sees it.
        (await otherAdmin.GetFromJsonAsync<SiteDetailDto>($"{b}/sites/{site}"))!.Name.ShouldBe("Acme Plaza");
        (await otherAdmin.GetFromJsonAsync<AlarmRuleDto>($"{b}/alarm-rules/{rule}"))!.Enabled.ShouldBeTrue();
        (await otherAdmin.GetFromJsonAsync<DeviceDetailDto>($"{b}/sites/{site}/devices/{device}"))!.Points.Single(p => p.PointId == "level").Override.ShouldBeNull();
    }

    [Fact]
    public async Task The_hub_refuses_strangers_and_streams_a_tenant_nothing_of_another()
    {
        await using (var anonymous = Connection(null))
        {
            var refused = await Should.ThrowAsync<HttpRequestException>(() => anonymous.StartAsync());
            refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var otherAdmin = await host.SignInAsNewUserAsync(OtherTenant, Roles.Administrator);
        await using var foreign = Connection(otherAdmin.DefaultRequestHeaders.Authorization!.Parameter);
        var foreignValues = Channel.CreateUnbounded<LiveValueDto[]>();
        foreign.On<LiveValueDto[]>("values", v => foreignValues.Writer.TryWrite(v));
        await foreign.StartAsync();
        var error = await Should.ThrowAsync<HubException>(() => foreign.InvokeAsync("JoinTenant", CloudHostFixture.Tenant));
        error.Message.ShouldContain("not a user of tenant");

        // The demo's own administrator receives its values meanwhile: the other tenant's silence is not a quiet estate.
        await using var own = Connection(host.Api.DefaultRequestHeaders.Authorization!.Parameter);
        var ownValues = Channel.CreateUnbounded<LiveValueDto[]>();
        own.On<LiveValueDto[]>("values", v => ownValues.Writer.TryWrite(v));
        await own.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        for (var batches = 0; batches < 3; batches++)
        {
            (await ownValues.Reader.ReadAsync(timeout.Token)).ShouldAllBe(v => v.TenantId == CloudHostFixture.Tenant);
        }

        foreignValues.Reader.TryRead(out var leaked).ShouldBeFalse($"a user of {OtherTenant} received {leaked?.Length} values of {CloudHostFixture.Tenant}");
    }

    [Fact]
    public async Task An_edge_of_one_tenant_can_neither_publish_into_nor_subscribe_to_another()
    {
        // The MQTT part of the matrix: an edge of the other tenant, provisioned and connected with its own secret.
        using var foreign = await host.ConnectAsEdgeOfAsync($"eba/v1/{OtherTenant}/{CloudHostFixture.Site}/edge-1/status");
        foreach (var channel in new[] { "telemetry", "status", "events", "config", "cmd-result/1" })
        {
            var topic = $"eba/v1/{CloudHostFixture.Tenant}/{CloudHostFixture.Site}/edge-1/{channel}";
            var published = await foreign.PublishAsync(EdgeAuthenticationTests.Message(topic, EdgeAuthenticationTests.Batch("edge-1", 1, "meter-x", "kwh")));
            published.ReasonCode.ShouldBe(MQTTnet.MqttClientPublishReasonCode.NotAuthorized, $"an edge of {OtherTenant} publishing on {topic}");
        }

        foreach (var filter in new[]
        {
            "#", "eba/#", $"eba/v1/{CloudHostFixture.Tenant}/#", "eba/v1/+/+/+/telemetry", $"eba/v1/{CloudHostFixture.Tenant}/{CloudHostFixture.Site}/edge-1/config",
            $"eba/v1/{CloudHostFixture.Tenant}/{CloudHostFixture.Site}/edge-1/cmd/#", $"$share/g/eba/v1/{CloudHostFixture.Tenant}/#",
        })
        {
            var subscribed = await foreign.SubscribeAsync(new MQTTnet.MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter).Build());
            // 0x87 not authorized (a shared subscription is refused before that, as not supported): a failure either way.
            var code = subscribed.Items.Single().ResultCode;
            ((int)code).ShouldBeGreaterThanOrEqualTo(0x80, $"an edge of {OtherTenant} subscribing to {filter} got {code}");
        }
    }

    [Fact]
    public async Task A_user_limited_to_one_site_sees_no_other_site_of_the_tenant()
    {
        using var limited = await host.SignInAsNewUserAsync(CloudHostFixture.Tenant, Roles.Engineer, ["another-site"]);
        (await limited.GetFromJsonAsync<List<SiteDto>>($"/api/tenants/{CloudHostFixture.Tenant}/sites")).ShouldNotBeNull().ShouldBeEmpty();
        (await limited.GetAsync($"/api/tenants/{CloudHostFixture.Tenant}/sites/{CloudHostFixture.Site}/devices")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await limited.GetFromJsonAsync<List<AlarmDto>>($"/api/tenants/{CloudHostFixture.Tenant}/alarms")).ShouldNotBeNull().ShouldAllBe(a => a.SiteId == "another-site");
    }

    private HubConnection Connection(string? token) => new HubConnectionBuilder()
        .WithUrl(new Uri(host.Server.BaseAddress, LiveHub.Path.TrimStart('/')), o =>
        {
            o.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
            o.AccessTokenProvider = () => Task.FromResult(token);
        })
        .Build();

    private async Task<List<(string Role, HttpClient Client)>> ClientsAsync(string tenantId)
    {
        var clients = new List<(string, HttpClient)>();
        foreach (var role in Roles.TenantRoles)
        {
            clients.Add((role, await host.SignInAsNewUserAsync(tenantId, role)));
        }

        return clients;
    }

    private static async Task<HttpStatusCode> CallAsync(HttpClient client, Operation op, string tenantId)
    {
        var path = op.Path
            .Replace("{tenantId}", tenantId, StringComparison.Ordinal)
            .Replace("{siteId}", CloudHostFixture.Site, StringComparison.Ordinal);
        // Any other id: one that does not exist (an allowed caller then gets 404 or 400, never 401/403).
        path = System.Text.RegularExpressions.Regex.Replace(path, "\\{[A-Za-z]+Id\\}", "999999");
        path = System.Text.RegularExpressions.Regex.Replace(path, "\\{[A-Za-z]+\\}", "nobody");
        using var request = new HttpRequestMessage(new HttpMethod(op.Method), path);
        if (op.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<List<Operation>> OperationsAsync()
    {
        using var doc = JsonDocument.Parse(await host.Api.GetStringAsync("/openapi/v1.json"));
        var operations = new List<Operation>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                // An operation without a name cannot be in the table, so it fails the test rather than escaping it.
                var id = method.Value.TryGetProperty("operationId", out var name) ? name.GetString()! : $"(unnamed {method.Name} {path.Name})";
                operations.Add(new Operation(id, method.Name.ToUpperInvariant(), path.Name));
            }
        }

        return operations;
    }

    private sealed record Operation(string Id, string Method, string Path)
    {
        public override string ToString() => $"{Id} ({Method} {Path})";
    }
}
