using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Polling;

/// <summary>
/// Builds the pollers of one configuration with the runtime behaviour of <see cref="EdgeRuntimeOptions"/>: reads
/// planned (merged, or per point when the profile asks), connections with reconnect back-off sharing the TCP parallel
/// limit, pollers with their bus priority, lost-device back-off and report by exception. One per running set of
/// pollers; dispose it after their connections.
/// </summary>
internal sealed class PollingRuntime : IDisposable
{
    private readonly EdgeOptions _options;
    private readonly EdgeRuntimeOptions _runtime;
    private readonly TimeProvider _time;
    private readonly EdgeAgentStats _stats;
    private readonly SemaphoreSlim _tcpLimit;

    public PollingRuntime(EdgeOptions options, TimeProvider time, EdgeAgentStats stats)
    {
        _options = options;
        _runtime = options.Runtime ?? new EdgeRuntimeOptions();
        _time = time;
        _stats = stats;
        _tcpLimit = new SemaphoreSlim(_runtime.MaxParallelTcp, _runtime.MaxParallelTcp);
    }

    /// <summary>The reads for a device of this profile.</summary>
    public ImmutableArray<ReadRequest> Plan(EdgeDeviceOptions device, DeviceProfile profile) =>
        profile.PerPointReads
            ? ReadPlanner.PerPoint(profile.Points)
            : ReadPlanner.Plan(profile.Points, new ReadPlanLimits(device.MaxRegistersPerRead, device.MaxBitsPerRead, _options.MaxRegisterGap, _options.MaxBitGap));

    /// <summary>A new connection for the device's line or endpoint.</summary>
    public ModbusConnection Connect(EdgeDeviceOptions device) =>
        ModbusConnection.For(device, _options.ModbusTimeout, _options.ModbusRetries, _time, _tcpLimit, new BackOff(_runtime.ReconnectDelay, _runtime.MaxReconnectDelay, Random.Shared));

    /// <summary>The device's poller.</summary>
    public DevicePoller Poller(EdgeDeviceOptions device, DeviceProfile profile, ImmutableArray<ReadRequest> plan, ModbusConnection connection, ChannelWriter<UplinkItem> output, ILogger logger)
    {
        var settings = new PollerSettings(PollerSettings.PriorityOf(profile), _runtime.DeviceMaxBackOff, _runtime.ReportHeartbeat);
        RuntimeLog.DevicePriority(logger, device.DeviceId, settings.Priority);
        return new DevicePoller(device, plan, connection, output, _options.EdgeId, _options.CommLossThreshold, device.PollInterval ?? _options.PollInterval, _time, _stats, logger, settings);
    }

    /// <summary>
    /// States, per serial line, whether the configured polling fits the bus time its line rate allows (logged; a
    /// warning when not). TCP endpoints have no line rate the agent knows.
    /// </summary>
    public static ImmutableDictionary<string, BusTimeEstimate> EstimateBusTime(IEnumerable<DevicePoller> pollers, ILogger logger)
    {
        var estimates = ImmutableDictionary.CreateBuilder<string, BusTimeEstimate>(StringComparer.Ordinal);
        foreach (var line in pollers.Where(p => p.Connection.Transport == ModbusTransportKind.Rtu).GroupBy(p => p.Connection))
        {
            var estimate = BusTimeBudget.Estimate(line.Key.Description, line.Key.Line, line.Select(p => (p.Plan, p.Interval)));
            estimates[line.Key.Description] = estimate;
            if (estimate.Fits)
            {
                RuntimeLog.BusFits(logger, estimate.Line, estimate.Utilisation * 100);
            }
            else
            {
                RuntimeLog.BusDoesNotFit(logger, estimate.Line, estimate.Utilisation * 100, BusTimeEstimate.MaxUtilisation * 100);
            }
        }

        return estimates.ToImmutable();
    }

    public void Dispose() => _tcpLimit.Dispose();
}
