using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Buffering;
using PropertyEba.Edge.Health;
using PropertyEba.Edge.Polling;
using PropertyEba.Edge.Remote;
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

    /// <summary>Where the agent keeps the desired configuration it applied, beside its buffer, so a restart runs it again.</summary>
    internal const string AppliedConfigFileName = "desired-config.json";

    private readonly EdgeOptions _options;
    private readonly IReadOnlyDictionary<string, DeviceProfile> _profiles;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
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
        _profiles = profiles;
        _time = timeProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<EdgeAgent>();
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
        EdgeLog.AgentStarting(_logger, _options.EdgeId, _options.Tenant, _options.Site, _options.Devices.Count, mqtt.Host, mqtt.Port, Path.GetFullPath(_options.BufferDirectory));

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

        using var buffer = DiskBuffer.Open(
            _options.BufferDirectory,
            _options.BufferMaxBytes,
            _loggerFactory.CreateLogger<DiskBuffer>(),
            new DiskBufferPolicy { Time = _time, MaxAge = _options.BufferMaxAge, SyncInterval = _options.BufferSyncInterval });
        using var sequence = SequenceStore.Open(_options.BufferDirectory);
        if (sequence.SkippedAtStart is { } skipped)
        {
            EdgeLog.SequenceResumed(_logger, skipped.From, skipped.To);
        }
        else if (sequence.Uncertain is { } uncertain)
        {
            EdgeLog.SequenceResumedUncertain(_logger, uncertain.From, uncertain.To);
        }

        var remoteLogger = _loggerFactory.CreateLogger<RemoteControl>();
        var inbox = new RemoteInbox(remoteLogger);
        var applied = new AppliedConfig();
        using var uplink = new TelemetryUplink(_options, buffer, sequence, channel.Reader, _time, Stats, _loggerFactory.CreateLogger<TelemetryUplink>(), inbox, applied, _health.Take);
        var pollers = new PollerSet(this, channel.Writer, pollersStopping.Token);
        await using (pollers)
        {
            pollers.Start(RestoreAppliedConfig(applied) ?? _options);
            var remote = new RemoteControl(inbox, uplink, pollers, applied, new CommandExecutor(_options.EdgeId, _time, remoteLogger), _time, remoteLogger);
            var remoteTask = remote.RunAsync(stopping.Token);
            var healthTask = RepublishHealthAsync(uplink, stopping.Token);
            try
            {
                var uplinkTask = RunUplinkAsync(uplink, stopping.Token, pollersStopping);

                // The pollers run until the agent stops (or the uplink fails); a new configuration replaces them meanwhile.
                await Task.Delay(Timeout.InfiniteTimeSpan, pollersStopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await pollers.StopAsync();
                channel.Writer.TryComplete();
                await uplinkTask;
            }
            finally
            {
                await pollersStopping.CancelAsync();
                await pollers.StopAsync();
                channel.Writer.TryComplete();
                inbox.Complete();
                await remoteTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await healthTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                sequence.Close();
                EdgeLog.AgentStopped(_logger, _options.EdgeId, Stats);
            }
        }
    }

    // The retained status carries the health the cloud's device page shows; it is republished on this period so that
    // the page is at most this old, while a status per poll cycle would cost the uplink more than the health is worth.
    private static readonly TimeSpan HealthStatusPeriod = TimeSpan.FromSeconds(60);

    private async Task RepublishHealthAsync(IRemoteLink uplink, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HealthStatusPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await uplink.RepublishStatusAsync();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The agent stops; the offline status goes out through the uplink's own shutdown.
        }
    }

    // The desired configuration applied before the last stop runs again at start, before the broker (which may be out
    // of reach for hours) sends it again; one that no longer validates (a profile was removed) is ignored.
    private EdgeOptions? RestoreAppliedConfig(AppliedConfig applied)
    {
        var path = Path.Combine(_options.BufferDirectory, AppliedConfigFileName);
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var payload = File.ReadAllBytes(path);
            var desired = System.Text.Json.JsonSerializer.Deserialize(payload, Contracts.Mqtt.ContractsJsonContext.Default.EdgeDesiredConfig);
            if (desired is null)
            {
                return null;
            }

            var (merged, problems) = DesiredConfigMerger.Merge(_options, desired, _profiles);
            if (merged is null)
            {
                RemoteLog.ConfigRejected(_logger, desired.Version, "(local configuration)", string.Join("; ", problems));
                return null;
            }

            applied.Applied(desired.Version, payload);
            RemoteLog.ConfigRestored(_logger, desired.Version, path);
            return merged;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            RemoteLog.ConfigNotSaved(_logger, path, ex.Message);
            return null;
        }
    }

    private void SaveAppliedConfig(Contracts.Mqtt.EdgeDesiredConfig desired)
    {
        var path = Path.Combine(_options.BufferDirectory, AppliedConfigFileName);
        try
        {
            var temp = path + ".tmp";
            File.WriteAllBytes(temp, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(desired, Contracts.Mqtt.ContractsJsonContext.Default.EdgeDesiredConfig));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RemoteLog.ConfigNotSaved(_logger, path, ex.Message);
        }
    }

    /// <summary>
    /// The pollers of the configuration that runs now, with their Modbus connections; replaced as a whole when a desired
    /// configuration is applied. Readings already queued for the uplink, the disk buffer and the sequence are untouched.
    /// </summary>
    private sealed class PollerSet(EdgeAgent agent, ChannelWriter<UplinkItem> writer, CancellationToken agentStopping) : IRemoteTargets, IAsyncDisposable
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private CancellationTokenSource? _stop;
        private List<Task> _tasks = [];
        private List<ModbusConnection> _connections = [];
        private PollingRuntime? _runtime;
        private volatile IReadOnlyDictionary<string, DeviceTarget> _targets = new Dictionary<string, DeviceTarget>();
        private EdgeOptions _running = agent._options;

        public IReadOnlyDictionary<string, DeviceTarget> Devices => _targets;

        public void Start(EdgeOptions options)
        {
            _running = options;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(agentStopping);
            var connections = new Dictionary<string, ModbusConnection>(StringComparer.Ordinal);
            var targets = new Dictionary<string, DeviceTarget>(StringComparer.Ordinal);
            var tasks = new List<Task>(options.Devices.Count);
            var pollers = ImmutableArray.CreateBuilder<DevicePoller>(options.Devices.Count);

            // Bus priorities, the TCP parallel limit and back-off belong to one configuration: a new one gets its own.
            var runtime = _runtime = new PollingRuntime(options, agent._time, agent.Stats);
            var pollerLogger = agent._loggerFactory.CreateLogger<DevicePoller>();
            foreach (var device in options.Devices)
            {
                var profile = agent._profiles[device.Model];
                var limits = new ReadPlanLimits(device.MaxRegistersPerRead, device.MaxBitsPerRead, options.MaxRegisterGap, options.MaxBitGap);
                var plan = ReadPlanner.Plan(profile.Points, limits);
                var key = EdgeOptionsValidator.ConnectionKey(device);
                if (!connections.TryGetValue(key, out var connection))
                {
                    connection = runtime.Connect(device);
                    connections.Add(key, connection);
                }

                var interval = device.PollInterval ?? options.PollInterval;
                foreach (var point in profile.Points)
                {
                    if (point.Type == Modbus.Codecs.ModbusDataType.String)
                    {
                        EdgeLog.StringPointSkipped(pollerLogger, device.DeviceId, point.Id);
                    }
                }

                EdgeLog.DevicePlanned(pollerLogger, device.DeviceId, device.Model, connection.Description, device.UnitId, plan.Sum(r => r.Points.Length), plan.Length, interval);
                pollers.Add(runtime.Poller(device, profile, profile.PerPointReads ? runtime.Plan(device, profile) : plan, connection, writer, pollerLogger));
                targets[device.DeviceId] = new DeviceTarget(device, profile, connection);
            }

            agent._health.Attach(pollers.ToImmutable(), PollingRuntime.EstimateBusTime(pollers, pollerLogger));
            foreach (var poller in pollers)
            {
                tasks.Add(agent.RunPollerAsync(poller, pollerLogger, _stop.Token));
            }

            _tasks = tasks;
            _connections = [.. connections.Values];
            _targets = targets;
        }

        public async Task StopAsync()
        {
            if (_stop is not { } stop)
            {
                return;
            }

            _stop = null;
            await stop.CancelAsync();
            await Task.WhenAll(_tasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            agent._health.Attach([], ImmutableDictionary<string, BusTimeEstimate>.Empty);
            foreach (var connection in _connections)
            {
                await connection.DisposeAsync();
            }

            _runtime?.Dispose();
            _runtime = null;
            stop.Dispose();
            _tasks = [];
            _connections = [];
        }

        public async Task<IReadOnlyList<string>> ApplyAsync(Contracts.Mqtt.EdgeDesiredConfig desired, CancellationToken cancellationToken)
        {
            await _lock.WaitAsync(cancellationToken);
            try
            {
                var (merged, problems) = DesiredConfigMerger.Merge(_running, desired, agent._profiles);
                if (merged is null)
                {
                    return problems;
                }

                if (agentStopping.IsCancellationRequested)
                {
                    return ["the agent is stopping; the configuration is applied when it starts again"];
                }

                await StopAsync();
                Start(merged);
                agent.SaveAppliedConfig(desired);
                return [];
            }
            finally
            {
                _lock.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _lock.Dispose();
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
