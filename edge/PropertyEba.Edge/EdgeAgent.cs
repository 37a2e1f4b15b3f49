using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Buffering;
using PropertyEba.Edge.Health;
using PropertyEba.Edge.Polling;
using PropertyEba.Edge.Uplink;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge;

/// <summary>
/// The whole edge agent as one object: a poller per device (concurrent; one transaction at a time
/// per Modbus connection) feeding, through a bounded channel, the uplink that publishes telemetry
/// over MQTT and buffers it on disk while the broker is unreachable. Hosted by
/// <see cref="EdgeServiceCollectionExtensions.AddEdgeAgent"/> in the standalone agent, or created
/// directly by a host that runs an agent in-process (the cloud's demo estate).
/// </summary>
public sealed class EdgeAgent : IAsyncDisposable
{
    /// <summary>Capacity of the channel between the pollers and the uplink, in device readings.</summary>
    internal const int ChannelCapacity = 1024;

    private static readonly TimeSpan PollerRestartDelay = TimeSpan.FromSeconds(5);

    private readonly EdgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ImmutableArray<(EdgeDeviceOptions Device, DeviceProfile Profile, ImmutableArray<ReadRequest> Plan)> _devices;
    private readonly CancellationTokenSource _disposing = new();
    private readonly HealthMonitor _health;
    private Task? _running;

    /// <summary>Creates an agent; nothing runs until <see cref="RunAsync"/>.</summary>
    /// <param name="options">The agent's configuration.</param>
    /// <param name="profiles">Device profiles by model id; every device's model must be among them.</param>
    /// <param name="timeProvider">The clock (poll intervals, timestamps, reconnect backoff).</param>
    /// <param name="loggerFactory">Where the agent logs.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the exception lists every problem.</exception>
    public EdgeAgent(EdgeOptions options, IReadOnlyDictionary<string, DeviceProfile> profiles, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var problems = EdgeOptionsValidator.Collect(options, profiles);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(EdgeOptions.SectionName, typeof(EdgeOptions), problems);
        }

        _options = options;
        _time = timeProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<EdgeAgent>();
        var devices = ImmutableArray.CreateBuilder<(EdgeDeviceOptions, DeviceProfile, ImmutableArray<ReadRequest>)>(options.Devices.Count);
        foreach (var device in options.Devices)
        {
            var profile = profiles[device.Model];
            var limits = new ReadPlanLimits(device.MaxRegistersPerRead, device.MaxBitsPerRead, options.MaxRegisterGap, options.MaxBitGap);
            devices.Add((device, profile, ReadPlanner.Plan(profile.Points, limits)));
        }

        _devices = devices.MoveToImmutable();
        _health = new HealthMonitor(timeProvider);
    }

    /// <summary>
    /// Communication health per port and device, and the process's memory and CPU, right now. Devices appear once the
    /// agent runs. CPU is measured since the previous call.
    /// </summary>
    public EdgeHealth GetHealth() => _health.Take();

    /// <summary>The pollers of the running agent (for the local page): live samples, plans, health.</summary>
    internal ImmutableArray<DevicePoller> Pollers => _health.Pollers;

    /// <summary>
    /// A one-off read for commissioning, through the device's connection in its turn (before any polling), without
    /// retries beyond the configured ones. The device's own polling and statistics are not affected.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No running device has this id.</exception>
    /// <exception cref="ModbusException">The device answered with an exception response.</exception>
    /// <exception cref="ModbusCommunicationException">No usable answer.</exception>
    internal Task<(ushort[]? Registers, bool[]? Bits)> ProbeAsync(string deviceId, byte? unitId, ModbusTable table, ushort address, ushort count, CancellationToken cancellationToken)
    {
        var poller = Pollers.FirstOrDefault(p => p.DeviceId == deviceId)
            ?? throw new KeyNotFoundException($"No device '{deviceId}' is being polled; known: {string.Join(", ", Pollers.Select(p => p.DeviceId))}");
        var request = new ReadRequest(table, address, count, []);
        return poller.Connection.ReadAsync(unitId ?? (byte)poller.Device.UnitId, request, int.MaxValue, null, cancellationToken);
    }

    /// <summary>Live counters (polls, samples, batches published, buffered, replayed, dropped; connection state).</summary>
    public EdgeAgentStats Stats { get; } = new();

    /// <summary>
    /// Polls and publishes until cancelled; then stops polling, publishes or buffers what was read,
    /// publishes the retained offline status and disconnects. Runs once per agent.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _running, Task.CompletedTask, null) is not null)
        {
            throw new InvalidOperationException("This edge agent is already running (or ran); create a new one to run again.");
        }

        var run = RunCoreAsync(cancellationToken);
        _running = run;
        return run;
    }

    /// <summary>Stops the agent if it is running (as cancelling <see cref="RunAsync"/> does) and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync();
        if (_running is { } running)
        {
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _disposing.Dispose();
    }

    private async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        using var pollersStopping = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        var mqtt = _options.Mqtt;
        EdgeLog.AgentStarting(_logger, _options.EdgeId, _options.Tenant, _options.Site, _devices.Length, mqtt.Host, mqtt.Port, Path.GetFullPath(_options.BufferDirectory));

        var channel = Channel.CreateBounded<UplinkItem>(
            new BoundedChannelOptions(ChannelCapacity)
            {
                // The uplink only appends to a file when offline, so it keeps up; if it ever does not,
                // the oldest reading goes (counted and logged) rather than memory growing or polling stalling.
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            },
            dropped =>
            {
                Stats.AddReadingDropped();
                EdgeLog.ReadingDropped(_logger, dropped is DeviceReading r ? r.DeviceId : "(event)", Stats.ReadingsDropped);
            });

        using var buffer = DiskBuffer.Open(_options.BufferDirectory, _options.BufferMaxBytes, _loggerFactory.CreateLogger<DiskBuffer>());
        using var sequence = SequenceStore.Open(_options.BufferDirectory);
        if (sequence.SkippedAtStart is { } skipped)
        {
            EdgeLog.SequenceResumed(_logger, skipped.From, skipped.To);
        }
        else if (sequence.Uncertain is { } uncertain)
        {
            EdgeLog.SequenceResumedUncertain(_logger, uncertain.From, uncertain.To);
        }
        using var uplink = new TelemetryUplink(_options, buffer, sequence, channel.Reader, _time, Stats, _loggerFactory.CreateLogger<TelemetryUplink>());

        var connections = new Dictionary<string, ModbusConnection>(StringComparer.Ordinal);
        var pollerTasks = new List<Task>(_devices.Length);
        using var runtime = new PollingRuntime(_options, _time, Stats);
        var pollers = ImmutableArray.CreateBuilder<DevicePoller>(_devices.Length);
        try
        {
            var pollerLogger = _loggerFactory.CreateLogger<DevicePoller>();
            foreach (var (device, profile, plan) in _devices)
            {
                var key = EdgeOptionsValidator.ConnectionKey(device);
                if (!connections.TryGetValue(key, out var connection))
                {
                    connection = runtime.Connect(device);
                    connections.Add(key, connection);
                }

                var interval = device.PollInterval ?? _options.PollInterval;
                foreach (var point in profile.Points)
                {
                    if (point.Type == Modbus.Codecs.ModbusDataType.String)
                    {
                        EdgeLog.StringPointSkipped(pollerLogger, device.DeviceId, point.Id);
                    }
                }

                EdgeLog.DevicePlanned(pollerLogger, device.DeviceId, device.Model, connection.Description, device.UnitId, plan.Sum(r => r.Points.Length), plan.Length, interval);
                pollers.Add(runtime.Poller(device, profile, profile.PerPointReads ? runtime.Plan(device, profile) : plan, connection, channel.Writer, pollerLogger));
            }

            _health.Attach(pollers.ToImmutable(), PollingRuntime.EstimateBusTime(pollers, pollerLogger));
            foreach (var poller in pollers)
            {
                pollerTasks.Add(RunPollerAsync(poller, pollerLogger, pollersStopping.Token));
            }

            var uplinkTask = RunUplinkAsync(uplink, stopping.Token, pollersStopping);
            await Task.WhenAll(pollerTasks);
            channel.Writer.TryComplete();
            await uplinkTask;
        }
        finally
        {
            await pollersStopping.CancelAsync();
            await Task.WhenAll(pollerTasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            channel.Writer.TryComplete();
            sequence.Close();
            _health.Attach([], ImmutableDictionary<string, BusTimeEstimate>.Empty);
            foreach (var connection in connections.Values)
            {
                await connection.DisposeAsync();
            }

            EdgeLog.AgentStopped(_logger, _options.EdgeId, Stats);
        }
    }

    private static async Task RunUplinkAsync(TelemetryUplink uplink, CancellationToken stoppingToken, CancellationTokenSource pollersStopping)
    {
        try
        {
            await uplink.RunAsync(stoppingToken);
        }
        catch
        {
            // Without an uplink nothing reaches the cloud: stop the pollers too and let the host see the failure.
            await pollersStopping.CancelAsync();
            throw;
        }
    }

    private async Task RunPollerAsync(DevicePoller poller, ILogger logger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await poller.RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A bug in decoding or in the Modbus library must not silence the other devices; this one retries.
                Stats.AddReadError();
                EdgeLog.PollerFailed(logger, ex, poller.DeviceId, PollerRestartDelay);
                try
                {
                    await Task.Delay(PollerRestartDelay, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
