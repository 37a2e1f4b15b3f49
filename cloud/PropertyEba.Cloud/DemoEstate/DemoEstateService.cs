using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Edges;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Persistence;
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
    AssetRegistry assets,
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

            await assets.EnsureSiteAsync(o.TenantId, o.SiteId, o.SiteName, o.TimeZone, stoppingToken);
            foreach (var d in estate.Devices)
            {
                var profile = estate.ProfileOf(d.DeviceId);
                await assets.EnsureDeviceAsync(o.TenantId, o.SiteId, d.DeviceId, profile, LocationOf(profile.System), $"tcp://{d.Host}:{d.Port} unit {d.UnitId}", stoppingToken);
            }

            var existingRules = (await alarms.ListRulesAsync(o.TenantId, stoppingToken)).Select(r => r.RuleId).ToHashSet();
            foreach (var rule in DemoAlarmRules.For(o.TenantId, o.EdgeOfflineDelay).Where(r => !existingRules.Contains(r.RuleId)))
            {
                await alarms.UpsertRuleAsync(rule, stoppingToken);
            }

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

    private static string LocationOf(string system) => system switch
    {
        "power" => "配电房 Power room",
        "water" => "水泵房 Pump room",
        "fire" => "消防控制室 Fire control room",
        _ => "设备房 Equipment room",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo estate {Estate} running with {DeviceCount} devices for {TenantId}/{SiteId}")]
    private partial void LogStarted(string estate, int deviceCount, string tenantId, string siteId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The demo estate stopped with an error; the rest of the service keeps running")]
    private partial void LogFailed(Exception ex);
}
