using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Identity;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>The asset model through its API: tenant, site, building, location, profile, device, points, rules, audit.</summary>
[Collection(CloudHostCollection.Name)]
public sealed class AssetAdministrationTests(CloudHostFixture host)
{
    private static readonly string TankProfileJson = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "profiles", "water-tank-level.json"));

    [Fact]
    public async Task An_operator_creates_a_tenant_whose_administrator_builds_a_site_and_a_new_rule_raises_its_alarm_without_restart()
    {
        var tenant = $"t-{Guid.NewGuid():N}"[..12];
        var platform = host.Operator;

        // Tenants: the platform operator's; a first administrator only for a tenant that exists.
        var unknownAdmin = await platform.PostAsJsonAsync($"/api/platform/tenants/{tenant}/administrators", new CreateUserRequest("x", UserAdministration.GeneratePassword(), []));
        unknownAdmin.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Problem(unknownAdmin)).Detail.ShouldNotBeNull().ShouldContain($"no tenant '{tenant}'");
        (await platform.PostAsJsonAsync("/api/platform/tenants", new CreateTenantRequest(tenant, "Harbour Property", "海港物业"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await platform.PostAsJsonAsync("/api/platform/tenants", new CreateTenantRequest(tenant, "Again"))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await platform.PutAsJsonAsync($"/api/platform/tenants/{tenant}", new RenameTenantRequest("Harbour Property Ltd", "海港物业有限公司"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await platform.GetFromJsonAsync<List<TenantDto>>("/api/platform/tenants")).ShouldNotBeNull()
            .ShouldContain(t => t.TenantId == tenant && t.Name == "Harbour Property Ltd");
        var password = UserAdministration.GeneratePassword();
        var adminName = $"{tenant}-admin";
        (await platform.PostAsJsonAsync($"/api/platform/tenants/{tenant}/administrators", new CreateUserRequest(adminName, password, []))).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var admin = await host.SignInAsync(adminName, password);
        var api = $"/api/tenants/{tenant}";

        // Site: every problem named at once, then created; a second one with the same id is a conflict.
        var bad = await admin.PostAsJsonAsync($"{api}/sites", new SiteRequest("harbour-1", "", TimeZone: "Mars/Olympus", Geofence: new GeofenceDto(95, 114, 5)));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Problem(bad)).Errors.Keys.ShouldBe(["name", "timeZone", "geofence.latitude", "geofence.radiusM"], ignoreOrder: true);
        var site = new SiteRequest("harbour-1", "Harbour View", "海景花园", "Asia/Hong_Kong", "1 Harbour Road", new GeofenceDto(22.28, 114.17, 300));
        (await admin.PostAsJsonAsync($"{api}/sites", site)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await admin.PostAsJsonAsync($"{api}/sites", site)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.GetFromJsonAsync<SiteDetailDto>($"{api}/sites/harbour-1"))!.Geofence.ShouldBe(new GeofenceDto(22.28, 114.17, 300));

        (await admin.PostAsJsonAsync($"{api}/sites/harbour-1/buildings", new BuildingRequest("tower-a", "Tower A", "A座"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var badLocation = await admin.PostAsJsonAsync($"{api}/sites/harbour-1/locations", new LocationRequest("pump-room", "boiler", "Pump room", BuildingId: "tower-z"));
        (await Problem(badLocation)).Errors.Keys.ShouldBe(["kind", "buildingId"], ignoreOrder: true);
        (await admin.PostAsJsonAsync($"{api}/sites/harbour-1/locations", new LocationRequest("pump-room", "pump-room", "Pump room", "水泵房", "tower-a"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await admin.GetFromJsonAsync<List<SystemDto>>($"{api}/systems"))!.Select(s => s.NameZh).ShouldContain("给排水");

        // Profiles: checked by the edge's loader, every problem listed; the same id again is its next version.
        var invalid = TankProfileJson.Replace("\"water-tank-level\"", "\"roof-tank\"", StringComparison.Ordinal)
            .Replace("\"system\": \"water\"", "\"system\": \"gas\"", StringComparison.Ordinal)
            .Replace("\"table\": \"discrete\", \"address\": 0, \"type\": \"Bool\"", "\"table\": \"discrete\", \"address\": 0, \"type\": \"UInt16\"", StringComparison.Ordinal);
        var refused = await admin.PostAsync($"{api}/device-profiles", new StringContent(invalid, System.Text.Encoding.UTF8, "application/json"));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problems = (await Problem(refused)).Errors["profile"];
        problems.ShouldContain(p => p.Contains("gas") && p.Contains("unknown equipment system") && p.Contains("allowed: power"));
        problems.ShouldContain(p => p.Contains("point 'lowLevel'") && p.Contains("must be Bool"));
        var v1 = TankProfileJson.Replace("\"water-tank-level\"", "\"roof-tank\"", StringComparison.Ordinal);
        (await (await admin.PostAsync($"{api}/device-profiles", Json(v1))).Content.ReadFromJsonAsync<DeviceProfileDto>())!.Version.ShouldBe(1);
        var v2 = v1.Replace("\"points\": [", "\"points\": [\n    { \"id\": \"temperature\", \"name\": \"Water temperature\", \"kind\": \"analog\", \"table\": \"input\", \"address\": 5, \"unit\": \"°C\" },", StringComparison.Ordinal);
        var second = await (await admin.PostAsync($"{api}/device-profiles", Json(v2))).Content.ReadFromJsonAsync<DeviceProfileDto>();
        second!.Version.ShouldBe(2);
        second.Versions.ShouldBe([1, 2]);
        (await admin.PostAsync($"{api}/device-profiles", Json(TankProfileJson))).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // Device: from version 1, points copied from the profile; bad connection fields named.
        var badDevice = await admin.PostAsJsonAsync($"{api}/sites/harbour-1/devices", new DeviceRequest("tank-1", "Roof tank", "roof-tank", 1, new DeviceConnectionDto("tcp", "10.0.0.5", 0, UnitId: 300)));
        (await Problem(badDevice)).Errors.Keys.ShouldBe(["connection.port", "connection.unitId"], ignoreOrder: true);
        var device = new DeviceRequest("tank-1", "Roof tank", "roof-tank", 1, new DeviceConnectionDto("serial", SerialPort: "/dev/ttyUSB0", UnitId: 3),
            "屋顶水箱", "pump-room", Ledger: new DeviceLedgerDto("A-0001", "Acme", "LT-100", "SN123", new DateOnly(2024, 5, 1), new DateOnly(2027, 5, 1)));
        var created = await (await admin.PostAsJsonAsync($"{api}/sites/harbour-1/devices", device)).Content.ReadFromJsonAsync<DeviceDetailDto>();
        created!.Points.Select(p => p.PointId).ShouldBe(["level", "levelPercent", "lowLevel", "highLevel"]);
        created.ProfileVersion.ShouldBe(1);
        created.SystemId.ShouldBe("water");

        // An override survives the move to version 2, which brings its new point.
        var overridden = await admin.PutAsJsonAsync($"{api}/sites/harbour-1/devices/tank-1/points/level", new PointOverrideDto("Roof tank level", "屋顶水箱水位", Deadband: 0.05));
        (await overridden.Content.ReadFromJsonAsync<DevicePointDto>())!.Name.ShouldBe("Roof tank level");
        var moved = await (await admin.PutAsJsonAsync($"{api}/sites/harbour-1/devices/tank-1", device with { ProfileVersion = 2 })).Content.ReadFromJsonAsync<DeviceDetailDto>();
        moved!.ProfileVersion.ShouldBe(2);
        moved.Points.Select(p => p.PointId).ShouldContain("temperature");
        var level = moved.Points.Single(p => p.PointId == "level");
        (level.Name, level.NameZh, level.Deadband, level.Unit).ShouldBe(("Roof tank level", "屋顶水箱水位", (double?)0.05, "m"));

        // Rules: the point must exist; an edit takes effect at the next sample, without a restart.
        var unknownPoint = await admin.PostAsJsonAsync($"{api}/alarm-rules", new AlarmRuleRequest("roof-low", "Roof tank low", "lvl", "Below", 0.5, SiteId: "harbour-1", DeviceId: "tank-1", Severity: "Critical"));
        (await Problem(unknownPoint)).Errors.Keys.ShouldBe(["pointId", "condition", "severity"], ignoreOrder: true);
        var rule = new AlarmRuleRequest("roof-low", "Roof tank low", "level", "BelowLimit", 0.5, "屋顶水箱低水位", "harbour-1", "tank-1", OpensTicket: false);
        (await admin.PostAsJsonAsync($"{api}/alarm-rules", rule)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await admin.PostAsJsonAsync($"{api}/alarm-rules", rule)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var engine = host.Services.GetRequiredService<AlarmEngine>();
        await engine.ProcessAsync(tenant, "harbour-1", [new("tank-1", "level", 0.8, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())], CancellationToken.None);
        (await admin.GetFromJsonAsync<List<AlarmDto>>($"{api}/alarms"))!.ShouldBeEmpty("0.8 m is above the 0.5 m limit");

        (await admin.PutAsJsonAsync($"{api}/alarm-rules/roof-low", rule with { Threshold = 1.0 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await engine.ProcessAsync(tenant, "harbour-1", [new("tank-1", "level", 0.7, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())], CancellationToken.None);
        var alarm = (await admin.GetFromJsonAsync<List<AlarmDto>>($"{api}/alarms"))!.ShouldHaveSingleItem();
        (alarm.RuleId, alarm.DeviceId, alarm.Value).ShouldBe(("roof-low", "tank-1", (double?)0.7));

        (await (await admin.PostAsync($"{api}/alarm-rules/roof-low/disable", null)).Content.ReadFromJsonAsync<AlarmRuleDto>())!.Enabled.ShouldBeFalse();
        (await admin.GetAsync($"{api}/alarm-rules/nope")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Every change is in the audit log, as done by the administrator.
        var audit = await admin.GetFromJsonAsync<List<AuditEntryDto>>($"{api}/audit?limit=100");
        foreach (var action in new[] { "site.create", "building.create", "location.create", "profile.upload", "device.create", "point.override", "device.move", "rule.create", "rule.update", "rule.disable" })
        {
            audit.ShouldNotBeNull().ShouldContain(e => e.Action == action && e.UserName.Contains(adminName), $"audit entry {action} by {adminName}");
        }
    }

    [Fact]
    public async Task Roles_without_the_policy_get_403_and_every_member_reads()
    {
        var api = $"/api/tenants/{CloudHostFixture.Tenant}";
        using var installer = await host.SignInAsNewUserAsync(CloudHostFixture.Tenant, Roles.Installer);
        using var engineer = await host.SignInAsNewUserAsync(CloudHostFixture.Tenant, Roles.Engineer);
        using var technician = await host.SignInAsNewUserAsync(CloudHostFixture.Tenant, Roles.Technician);
        using var energy = await host.SignInAsNewUserAsync(CloudHostFixture.Tenant, Roles.EnergyManager);

        (await installer.PostAsJsonAsync($"{api}/sites", new SiteRequest("x-site", "X"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await engineer.PostAsync($"{api}/device-profiles", Json(TankProfileJson))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await technician.PostAsJsonAsync($"{api}/alarm-rules", new AlarmRuleRequest("x", "X", "level", "BelowLimit", 1))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await installer.PostAsync($"{api}/alarm-rules/tank-low-level/disable", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await energy.GetFromJsonAsync<List<DeviceProfileDto>>($"{api}/device-profiles"))!.ShouldContain(p => p.ProfileId == "water-tank-level" && p.BuiltIn);
        (await technician.GetFromJsonAsync<SiteDetailDto>($"{api}/sites/{CloudHostFixture.Site}"))!.TimeZone.ShouldBe("Asia/Shanghai");
        (await energy.GetFromJsonAsync<List<LocationDto>>($"{api}/sites/{CloudHostFixture.Site}/locations"))!.ShouldContain(l => l.Kind == "pump-room");
    }

    [Fact]
    public async Task What_is_still_in_use_cannot_be_deleted_and_a_reset_point_gets_its_profile_values_back()
    {
        var site = $"use-{Guid.NewGuid():N}"[..12];
        var api = $"/api/tenants/{CloudHostFixture.Tenant}";
        var admin = host.Api;
        (await admin.PostAsJsonAsync($"{api}/sites", new SiteRequest(site, "In use"))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{api}/sites/{site}/buildings", new BuildingRequest("b1", "B1"))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{api}/sites/{site}/locations", new LocationRequest("room", "pump-room", "Room", BuildingId: "b1"))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{api}/systems", new SystemRequest($"{site}-lift", "Lifts", "电梯"))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{api}/systems", new SystemRequest("water", "Water again"))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.PostAsJsonAsync($"{api}/sites/{site}/devices", new DeviceRequest(
            "tank", "Tank", "water-tank-level", Connection: new DeviceConnectionDto("tcp", "127.0.0.1", 1502, UnitId: 1), LocationId: "room", SystemId: $"{site}-lift"))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{api}/alarm-rules", new AlarmRuleRequest($"{site}-r", "R", "level", "BelowLimit", 1, SiteId: site, DeviceId: "tank"))).EnsureSuccessStatusCode();

        (await admin.DeleteAsync($"{api}/sites/{site}/buildings/b1")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.DeleteAsync($"{api}/sites/{site}/locations/room")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.DeleteAsync($"{api}/systems/{site}-lift")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.DeleteAsync($"{api}/systems/water")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var inUse = await admin.DeleteAsync($"{api}/sites/{site}/devices/tank");
        inUse.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Problem(inUse)).Detail.ShouldNotBeNull().ShouldContain($"{site}-r");

        (await admin.PutAsJsonAsync($"{api}/sites/{site}/devices/tank/points/level", new PointOverrideDto("Renamed", Unit: "mm"))).EnsureSuccessStatusCode();
        var reset = await (await admin.DeleteAsync($"{api}/sites/{site}/devices/tank/points/level/override")).Content.ReadFromJsonAsync<DevicePointDto>();
        (reset!.Name, reset.Unit, reset.Override).ShouldBe(("Domestic water tank level", "m", (PointOverrideDto?)null));

        (await admin.DeleteAsync($"{api}/alarm-rules/{site}-r")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.DeleteAsync($"{api}/sites/{site}/devices/tank")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.DeleteAsync($"{api}/sites/{site}/locations/room")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.DeleteAsync($"{api}/sites/{site}/buildings/b1")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.DeleteAsync($"{api}/systems/{site}-lift")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.GetAsync($"{api}/sites/{site}/devices/tank")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_demo_estate_is_registered_through_the_administration_services()
    {
        var api = $"/api/tenants/{CloudHostFixture.Tenant}";
        (await host.Operator.GetFromJsonAsync<List<TenantDto>>("/api/platform/tenants"))!.ShouldContain(t => t.TenantId == CloudHostFixture.Tenant);
        var devices = await host.Api.GetFromJsonAsync<List<DeviceDto>>($"{api}/sites/{CloudHostFixture.Site}/devices");
        var first = devices.ShouldNotBeNull().First();
        var detail = await host.Api.GetFromJsonAsync<DeviceDetailDto>($"{api}/sites/{CloudHostFixture.Site}/devices/{first.DeviceId}");
        detail!.Connection.Kind.ShouldBe("tcp");
        detail.LocationId.ShouldNotBeNull();
        first.Location.ShouldNotBeNull().ShouldNotBe(detail.LocationId, "the device list shows the location's name");
        var audit = await host.Api.GetFromJsonAsync<List<AuditEntryDto>>($"{api}/audit?action=device.create&limit=100");
        audit.ShouldNotBeNull().ShouldContain(e => e.UserName == "system");
    }

    internal static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    internal static async Task<ValidationProblemDetails> Problem(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonSerializer.Deserialize<ValidationProblemDetails>(text, JsonSerializerOptions.Web) ?? throw new InvalidOperationException(text);
    }
}
