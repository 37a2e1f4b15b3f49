using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Localization;
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

            await assets.EnsureSiteAsync(o.TenantId, o.SiteId, o.SiteName, string.IsNullOrWhiteSpace(o.SiteNameZh) ? null : o.SiteNameZh, o.TimeZone, stoppingToken);
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

            runtime.Started(estate);
            LogStarted(estate.Name, estate.Devices.Count, o.TenantId, o.SiteId);

            var edgeOptions = new EdgeOptions
            {
                Tenant = o.TenantId,
                Site = o.SiteId,
                EdgeId = o.EdgeId,
                Mqtt = new EdgeMqttOptions { Host = host, Port = port },
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

    private static LocalizedName LocationOf(string system) => system switch
    {
        "power" => new("Power room", "配电房"),
        "water" => new("Pump room", "水泵房"),
        "fire" => new("Fire control room", "消防控制室"),
        _ => new("Equipment room", "设备房"),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo estate {Estate} running with {DeviceCount} devices for {TenantId}/{SiteId}")]
    private partial void LogStarted(string estate, int deviceCount, string tenantId, string siteId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The demo estate stopped with an error; the rest of the service keeps running")]
    private partial void LogFailed(Exception ex);
}
