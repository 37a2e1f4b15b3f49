using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>A whole site to one file and back: the round trip, and an import that has problems changing nothing.</summary>
[Collection(CloudHostCollection.Name)]
public sealed class SiteImportExportTests(CloudHostFixture host)
{
    private static readonly string Api = $"/api/tenants/{CloudHostFixture.Tenant}";

    [Fact]
    public async Task An_exported_site_imported_under_a_new_id_exports_the_same_except_its_ids()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var siteId = $"river-{suffix}";
        var admin = host.Api;
        (await admin.PostAsJsonAsync($"{Api}/sites", new SiteRequest(siteId, "River Garden", "江畔花园", "Asia/Shanghai", "8 River Road", new GeofenceDto(31.2, 121.5, 250)))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{Api}/sites/{siteId}/buildings", new BuildingRequest("b1", "Building 1", "1号楼"))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{Api}/sites/{siteId}/locations", new LocationRequest("power-room", "power-room", "Power room", "配电房", "b1"))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{Api}/sites/{siteId}/locations", new LocationRequest("pump-room", "pump-room", "Pump room", "水泵房"))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{Api}/sites/{siteId}/devices", new DeviceRequest(
            "tank-1", "Tank", "water-tank-level", 1, new DeviceConnectionDto("tcp", "192.168.1.20", 502, UnitId: 1), "水箱", "pump-room",
            Ledger: new DeviceLedgerDto("W-7", InstalledOn: new DateOnly(2023, 1, 2))))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{Api}/sites/{siteId}/devices", new DeviceRequest(
            "meter-1", "Main meter", "power-meter-3p", null, new DeviceConnectionDto("serial", SerialPort: "/dev/ttyUSB1", UnitId: 7), LocationId: "power-room"))).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"{Api}/sites/{siteId}/devices/tank-1/points/level", new PointOverrideDto("Tank level", Unit: "m", Enabled: true, Deadband: 0.02))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{Api}/alarm-rules", new AlarmRuleRequest($"low-{suffix}", "Tank low", "level", "BelowLimit", 0.4, "水箱低水位", siteId, "tank-1", Deadband: 0.1, OnDelaySeconds: 5))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{Api}/alarm-rules", new AlarmRuleRequest($"lost-{suffix}", "Comm lost", "comm.lost", "StateEquals", 1, SiteId: siteId, Severity: "Normal", OpensTicket: false))).EnsureSuccessStatusCode();

        var exported = (await admin.GetFromJsonAsync<SiteFileDto>($"{Api}/sites/{siteId}/export"))!;
        exported.Devices.ShouldNotBeNull().Count.ShouldBe(2);
        exported.Rules.ShouldNotBeNull().Count.ShouldBe(2);
        exported.Devices.Single(d => d.Device.DeviceId == "tank-1").PointOverrides.ShouldNotBeNull().ShouldHaveSingleItem().PointId.ShouldBe("level");

        var copyId = $"{siteId}-copy";
        var copy = exported with
        {
            Site = exported.Site with { SiteId = copyId },
            Rules = [.. exported.Rules.Select(r => r with { RuleId = $"{r.RuleId}-copy" })],
        };
        var imported = await admin.PostAsJsonAsync($"{Api}/sites/import", copy);
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        (await imported.Content.ReadFromJsonAsync<SiteImportResultDto>()).ShouldBe(new SiteImportResultDto(copyId, 1, 2, 2, PointCount(exported), 2));

        var again = (await admin.GetFromJsonAsync<SiteFileDto>($"{Api}/sites/{copyId}/export"))!;
        Canonical(again).ShouldBe(Canonical(copy));
        var audit = await admin.GetFromJsonAsync<List<AuditEntryDto>>($"{Api}/audit?action=site.import");
        audit.ShouldNotBeNull().ShouldContain(e => e.Target == $"site/{copyId}");

        // The imported device-scoped rule watches the new site's device.
        (await admin.GetFromJsonAsync<AlarmRuleDto>($"{Api}/alarm-rules/low-{suffix}-copy"))!.SiteId.ShouldBe(copyId);
    }

    [Fact]
    public async Task A_site_exported_for_its_edge_passes_check_config_with_zero_problems()
    {
        var siteId = $"edge-{Guid.NewGuid().ToString("N")[..6]}";
        var admin = host.Api;
        (await admin.PostAsJsonAsync($"{Api}/sites", new SiteRequest(siteId, "Edge Garden", "边缘花园", "Asia/Shanghai"))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{Api}/sites/{siteId}/devices", new DeviceRequest(
            "tank-1", "Tank", "water-tank-level", null, new DeviceConnectionDto("tcp", "192.168.1.20", 502, UnitId: 1)))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"{Api}/sites/{siteId}/devices", new DeviceRequest(
            "meter-1", "Main meter", "power-meter-3p", null, new DeviceConnectionDto("serial", SerialPort: "/dev/ttyUSB1", UnitId: 7)))).EnsureSuccessStatusCode();
        var provisioned = await admin.PostAsJsonAsync($"{Api}/sites/{siteId}/edges", new ProvisionEdgeRequest("pump-room"));
        provisioned.EnsureSuccessStatusCode();

        var response = await admin.GetAsync($"{Api}/sites/{siteId}/export/edge?brokerHost=broker.example.com&brokerPort=8883");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var json = await response.Content.ReadAsStringAsync();
        var file = Path.Combine(Directory.CreateTempSubdirectory("eba-edge-export-").FullName, "estate.json");
        await File.WriteAllTextAsync(file, json);

        var catalog = new PropertyEba.Edge.DeviceProfileCatalog(Path.Combine(PropertyEba.Testing.RepositoryRoot.Path, "edge", "profiles"));
        var check = new PropertyEba.Edge.Configuration.EdgeConfigurationValidator(catalog).ValidateFile(file);

        check.Problems.ShouldBeEmpty(json + Environment.NewLine + string.Join(Environment.NewLine, check.Problems));
        var options = check.Options.ShouldNotBeNull();
        (options.Tenant, options.Site, options.EdgeId).ShouldBe((CloudHostFixture.Tenant, siteId, "pump-room"));
        (options.Mqtt.Host, options.Mqtt.Port, options.Mqtt.Username).ShouldBe(("broker.example.com", 8883, $"eba-{CloudHostFixture.Tenant}-{siteId}-pump-room"));
        options.Mqtt.Password.ShouldBeNull("the secret is never exported");
        options.Devices.Single(d => d.DeviceId == "meter-1").ShouldSatisfyAllConditions(
            d => d.Transport.ShouldBe(PropertyEba.Edge.ModbusTransportKind.Rtu),
            d => d.SerialPort.ShouldBe("/dev/ttyUSB1"),
            d => d.UnitId.ShouldBe(7));
        options.Devices.Single(d => d.DeviceId == "tank-1").ShouldSatisfyAllConditions(d => d.Host.ShouldBe("192.168.1.20"), d => d.Port.ShouldBe(502));
        json.ShouldNotContain("Password");
    }

    [Fact]
    public async Task An_import_with_problems_reports_them_all_and_changes_nothing()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var siteId = $"bad-{suffix}";
        var rulesBefore = await host.Api.GetStringAsync($"{Api}/alarm-rules");
        var file = new SiteFileDto(
            SiteFileDto.CurrentFormat,
            new SiteRequest(siteId, "Bad Estate", TimeZone: "China/Beijing"),
            [new BuildingRequest("b1", "One"), new BuildingRequest("b1", "Again")],
            [new LocationRequest("room", "pump-room", "Pump room", BuildingId: "b9")],
            [
                new SiteFileDeviceDto(new DeviceRequest("tank-1", "Tank", "water-tank-level", 1, new DeviceConnectionDto("tcp", "10.0.0.1", 502, UnitId: 1), LocationId: "room"),
                    [new SiteFilePointOverrideDto("nope", new PointOverrideDto("X"))]),
                new SiteFileDeviceDto(new DeviceRequest("pump-1", "Pump", "no-such-profile", 1, new DeviceConnectionDto("tcp", "10.0.0.2", 502, UnitId: 1)), null),
            ],
            [
                new AlarmRuleRequest($"r-{suffix}", "Rule", "levels", "BelowLimit", 1, DeviceId: "tank-1"),
                new AlarmRuleRequest("tank-low-level", "Clash", "level", "BelowLimit", 1, DeviceId: "tank-1"),
            ]);

        var response = await host.Api.PostAsJsonAsync($"{Api}/sites/import", file);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await AssetAdministrationTests.Problem(response);
        problem.Errors.Keys.ShouldBe(
            ["site.timeZone", "buildings[1].buildingId", "locations[0].buildingId", "devices[0].pointOverrides[0].pointId", "devices[1].device.profileVersion", "rules[0].pointId", "rules[1].ruleId"],
            ignoreOrder: true);

        (await host.Api.GetAsync($"{Api}/sites/{siteId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.Api.GetStringAsync($"{Api}/alarm-rules")).ShouldBe(rulesBefore);
    }

    private static int PointCount(SiteFileDto file) => file.Devices!.Sum(d => d.Device.ProfileId switch
    {
        "water-tank-level" => 4,
        _ => JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "profiles", $"{d.Device.ProfileId}.json"))).RootElement.GetProperty("points").GetArrayLength(),
    });

    private static string Canonical(SiteFileDto file) => JsonSerializer.Serialize(file, JsonSerializerOptions.Web);
}
