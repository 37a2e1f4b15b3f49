using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Edges;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;
using PropertyEba.Edge;
using PropertyEba.Modbus.Profiles;
using PropertyEba.Simulators;

namespace PropertyEba.Cloud.DemoEstate;

/// <summary>
/// Starts the simulated estate (Modbus TCP slaves on loopback), registers its site, devices and
/// default alarm rules, then runs a real edge agent that polls the slaves and publishes to the broker.
/// </summary>
internal sealed partial class DemoEstateService(
    IOptions<DemoEstateOptions> options,
    IOptions<PersistenceOptions> persistence,
    BrokerEndpoint broker,
    TenantDirectory tenants,
    SiteAdministration sites,
    DeviceAdministration devices,
    AlarmRuleAdministration rules,
    AlarmService alarms,
    EdgeProvisioning edges,
    DemoEstateRuntime runtime,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    ILogger<DemoEstateService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }

        try
        {
            var (host, port) = await broker.WhenReady(stoppingToken);
            // One set of profiles for the simulator, the asset registry and the edge agent: read once, and
            // the simulator refuses an estate whose models have none.
            var profiles = await DeviceProfileLoader.LoadDirectoryAsync(DeviceProfileLoader.DefaultDirectory, stoppingToken);
            await using var estate = await SimulatedEstate.StartAsync(o.Estate, profiles, new SimulationOptions { Seed = o.Seed, Speed = o.Speed }, time, loggerFactory, stoppingToken);

            await RegisterAsync(o, estate, stoppingToken);

            // The broker lets no edge in without credentials: the demo's agent gets its own, issued anew at each start
            // (only the hash is kept, so the last run's secret cannot be read back).
            var credentials = await edges.EnsureCredentialsAsync(o.TenantId, o.SiteId, o.EdgeId, stoppingToken);

            runtime.Started(estate, credentials);
            LogStarted(estate.Name, estate.Devices.Count, o.TenantId, o.SiteId);

            var edgeOptions = new EdgeOptions
            {
                Tenant = o.TenantId,
                Site = o.SiteId,
                EdgeId = o.EdgeId,
                Mqtt = new EdgeMqttOptions { Host = host, Port = port, ClientId = credentials.Username, Username = credentials.Username, Password = credentials.Password },
                PollInterval = o.PollInterval,
                BufferDirectory = Path.Combine(Path.GetFullPath(persistence.Value.DataDirectory), "edge-buffer", o.EdgeId),
                Devices = [.. estate.Devices.Select(d => new EdgeDeviceOptions { DeviceId = d.DeviceId, Model = d.Model, Host = d.Host, Port = d.Port, UnitId = d.UnitId })],
            };
            await using var agent = new EdgeAgent(edgeOptions, profiles, time, loggerFactory);
            await agent.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The demo must not take the service down with it: the API and dashboard stay up for real edges.
            LogFailed(ex);
        }
    }

    // Through the same services (and checks) an administrator's requests go through; idempotent, so a restart re-applies
    // the estate, with the simulators' new ports.
    private async Task RegisterAsync(DemoEstateOptions o, SimulatedEstate estate, CancellationToken ct)
    {
        await tenants.EnsureAsync(o.TenantId, "Demo property company", "演示物业公司", ct);
        var site = new SiteRequest(o.SiteId, o.SiteName, string.IsNullOrWhiteSpace(o.SiteNameZh) ? null : o.SiteNameZh, o.TimeZone);
        if (!await SiteExistsAsync(o, ct))
        {
            await sites.CreateSiteAsync(o.TenantId, site, ct);
        }
        else
        {
            await sites.UpdateSiteAsync(o.TenantId, o.SiteId, site, ct);
        }

        var locations = (await sites.ListLocationsAsync(o.TenantId, o.SiteId, ct)).Select(l => l.LocationId).ToHashSet();
        foreach (var (locationId, kind, name, nameZh) in DemoLocations.Where(l => !locations.Contains(l.Id)))
        {
            await sites.CreateLocationAsync(o.TenantId, o.SiteId, new LocationRequest(locationId, kind, name, nameZh), ct);
        }

        foreach (var d in estate.Devices)
        {
            var profile = estate.ProfileOf(d.DeviceId);
            var request = new DeviceRequest(
                d.DeviceId, profile.Name, profile.Model, Connection: new DeviceConnectionDto("tcp", d.Host, d.Port, UnitId: d.UnitId),
                NameZh: profile.NameZh, LocationId: LocationOf(profile.System));
            try
            {
                await devices.UpdateDeviceAsync(o.TenantId, o.SiteId, d.DeviceId, request, ct);
            }
            catch (AssetProblemException missing) when (missing.Kind == AssetProblemKind.NotFound)
            {
                await devices.CreateDeviceAsync(o.TenantId, o.SiteId, request, ct);
            }
        }

        var existingRules = (await alarms.ListRulesAsync(o.TenantId, ct)).Select(r => r.RuleId).ToHashSet();
        foreach (var rule in DemoAlarmRules.For(o.TenantId, o.EdgeOfflineDelay).Where(r => !existingRules.Contains(r.RuleId)))
        {
            await rules.CreateAsync(o.TenantId, AlarmRuleAdministration.RequestOf(rule), ct);
        }
    }

    private async Task<bool> SiteExistsAsync(DemoEstateOptions o, CancellationToken ct)
    {
        try
        {
            await sites.GetSiteAsync(o.TenantId, o.SiteId, ct);
            return true;
        }
        catch (AssetProblemException missing) when (missing.Kind == AssetProblemKind.NotFound)
        {
            return false;
        }
    }

    private static readonly (string Id, string Kind, string Name, string NameZh)[] DemoLocations =
    [
        ("power-room", LocationKinds.PowerRoom, "Power room", "配电房"),
        ("pump-room", LocationKinds.PumpRoom, "Pump room", "水泵房"),
        ("fire-control-room", LocationKinds.FireControlRoom, "Fire control room", "消防控制室"),
        ("equipment-room", LocationKinds.Other, "Equipment room", "设备房"),
    ];

    private static string LocationOf(string system) => system switch
    {
        "power" => "power-room",
        "water" => "pump-room",
        "fire" => "fire-control-room",
        _ => "equipment-room",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo estate {Estate} running with {DeviceCount} devices for {TenantId}/{SiteId}")]
    private partial void LogStarted(string estate, int deviceCount, string tenantId, string siteId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The demo estate stopped with an error; the rest of the service keeps running")]
    private partial void LogFailed(Exception ex);
}
