using Microsoft.Extensions.Logging;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Profiles;
using PropertyEba.Simulators.Devices;
using PropertyEba.Simulators.Estates;
using PropertyEba.Simulators.Faults;
using PropertyEba.Simulators.Hosting;
using PropertyEba.Simulators.Physics;

namespace PropertyEba.Simulators;

/// <summary>
/// A running simulated estate: its devices impersonate real equipment as Modbus TCP slaves, their
/// values move with the estate's physics on a clock from the given <see cref="TimeProvider"/>, and
/// faults can be injected and cleared while it runs. Thread-safe.
/// </summary>
public sealed class SimulatedEstate : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly IReadOnlyDictionary<string, SimulatedDevice> _byId;
    private readonly PhysicsEngine _physics;
    private readonly FaultInjector _faults;
    private readonly FaultScriptRunner? _script;
    private readonly EstateClock _clock;
    private readonly ModbusEndpoints _endpoints;
    private readonly ILogger _logger;
    private int _disposed;

    private SimulatedEstate(string name, IReadOnlyDictionary<string, SimulatedDevice> byId, PhysicsEngine physics, FaultInjector faults, FaultScriptRunner? script, EstateClock clock, ModbusEndpoints endpoints, ILogger logger)
    {
        Name = name;
        _byId = byId;
        _physics = physics;
        _faults = faults;
        _script = script;
        _clock = clock;
        _endpoints = endpoints;
        _logger = logger;
    }

    /// <summary>The estate's name from its site file.</summary>
    public string Name { get; }

    /// <summary>Where each device answers, in site-file order.</summary>
    public IReadOnlyList<SimulatedDeviceEndpoint> Devices => _endpoints.Endpoints;

    /// <summary>The faults that apply to this estate's devices (see docs/simulators.md).</summary>
    public IReadOnlyList<string> AvailableFaults => _faults.Available;

    /// <summary>The faults in effect now.</summary>
    public IReadOnlyList<ActiveFault> ActiveFaults
    {
        get
        {
            lock (_gate)
            {
                return _faults.Active;
            }
        }
    }

    /// <summary>Simulated time since the estate started.</summary>
    public TimeSpan SimulatedElapsed
    {
        get
        {
            lock (_gate)
            {
                return _physics.Elapsed;
            }
        }
    }

    /// <summary>Starts an estate from a sample name (<c>demo</c>) or a site file path, with the profiles shipped beside the binary.</summary>
    public static Task<SimulatedEstate> StartAsync(string estate, SimulationOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        StartAsync(estate, profiles: null, options, timeProvider, loggerFactory, cancellationToken);

    /// <summary>Starts an estate from a sample name or a site file path; <paramref name="profiles"/> null loads them from <see cref="DeviceProfileLoader.DefaultDirectory"/>.</summary>
    public static async Task<SimulatedEstate> StartAsync(string estate, IReadOnlyDictionary<string, DeviceProfile>? profiles, SimulationOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var definition = await EstateLoader.LoadAsync(estate, cancellationToken);
        profiles ??= await DeviceProfileLoader.LoadDirectoryAsync(DeviceProfileLoader.DefaultDirectory, cancellationToken);
        return await StartAsync(definition, profiles, options, timeProvider, loggerFactory, cancellationToken);
    }

    /// <summary>Starts an estate from a parsed site file.</summary>
    public static async Task<SimulatedEstate> StartAsync(EstateDefinition definition, IReadOnlyDictionary<string, DeviceProfile> profiles, SimulationOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.ThrowIfInvalid();
        var problems = new List<string>(EstateLoader.Validate(definition, profiles));
        if (problems.Count > 0)
        {
            throw new EstateFileException(definition.Name, problems);
        }

        var logger = loggerFactory.CreateLogger<SimulatedEstate>();
        var environment = new EstateEnvironment();
        var devices = new List<SimulatedDevice>();
        foreach (var d in definition.Devices)
        {
            var info = DeviceModelCatalog.Find(d.Model)!;
            var parameters = info.Parameters.ToDictionary(p => p.Name, p => d.Parameters?.GetValueOrDefault(p.Name, p.Default) ?? p.Default, StringComparer.Ordinal);
            var random = new Random(StableSeed(options.Seed, definition.Name, d.Id));
            devices.Add(info.Create(new DeviceSetup(d.Id, profiles[d.Model], new ModbusDataStore(), parameters, random, environment, info.Faults)));
        }

        var byId = devices.ToDictionary(d => d.Id, StringComparer.Ordinal);
        for (var i = 0; i < devices.Count; i++)
        {
            devices[i].Bind(new LinkResolver(devices[i].Id, definition.Devices[i].Links, byId, problems));
        }

        if (problems.Count > 0)
        {
            throw new EstateFileException(definition.Name, problems);
        }

        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(definition.TimeZone);
        var physics = new PhysicsEngine(devices, environment, timeZone, timeProvider.GetUtcNow());
        physics.Initialise();
        var faults = new FaultInjector(definition.Name, devices, environment, logger);
        var script = definition.Script is { Count: > 0 } steps ? new FaultScriptRunner(steps) : null;
        var endpoints = await ModbusEndpoints.StartAsync(definition, devices, cancellationToken);
        SimulatedEstate? estate = null;
        var clock = new EstateClock(timeProvider, options.Speed, options.TickInterval, delta => estate?.OnTick(delta));
        estate = new SimulatedEstate(definition.Name, byId, physics, faults, script, clock, endpoints, logger);
        foreach (var e in endpoints.Endpoints)
        {
            SimulatorLog.DeviceServed(logger, e.DeviceId, e.Model, e.Host, e.Port, e.UnitId);
        }

        SimulatorLog.EstateStarted(logger, definition.Name, devices.Count, endpoints.ListenerCount, options.Seed, options.Speed);
        clock.Start();
        return estate;
    }

    /// <summary>Injects a fault into a device, or into the first device it applies to when <paramref name="deviceId"/> is null.</summary>
    /// <exception cref="ArgumentException">The fault is unknown here (the message lists the allowed ones) or does not apply to the device.</exception>
    public void InjectFault(string fault, string? deviceId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fault);
        lock (_gate)
        {
            _faults.Inject(fault, deviceId);
            _physics.Refresh();
        }
    }

    /// <summary>Clears every fault; devices recover as their physics allows.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.ClearAll();
            _physics.Refresh();
        }
    }

    /// <summary>A point's current engineering value, as the wire shows it (booleans as 0 or 1).</summary>
    /// <exception cref="ArgumentException">No such device or point.</exception>
    public double ReadValue(string deviceId, string pointId)
    {
        var device = _byId.GetValueOrDefault(deviceId)
            ?? throw new ArgumentException($"Estate {Name} has no device '{deviceId}'; devices: {string.Join(", ", _byId.Keys)}.", nameof(deviceId));
        lock (_gate)
        {
            return device.Read(pointId);
        }
    }

    /// <summary>The profile of a device (its register map).</summary>
    public DeviceProfile ProfileOf(string deviceId) =>
        _byId.GetValueOrDefault(deviceId)?.Profile
            ?? throw new ArgumentException($"Estate {Name} has no device '{deviceId}'.", nameof(deviceId));

    /// <summary>Advances the physics by a span of simulated time at once (for tools and tests that drive time themselves).</summary>
    public void Advance(TimeSpan simulated)
    {
        lock (_gate)
        {
            _physics.Advance(simulated);
            RunScript();
        }
    }

    private void OnTick(TimeSpan simulated)
    {
        try
        {
            Advance(simulated);
        }
        catch (Exception ex)
        {
            SimulatorLog.StepFailed(_logger, ex, Name);
        }
    }

    private void RunScript()
    {
        if (_script is null)
        {
            return;
        }

        var fired = false;
        foreach (var step in _script.Due(_physics.Elapsed))
        {
            fired = true;
            try
            {
                if (step.Clear)
                {
                    _faults.ClearAll();
                }
                else
                {
                    _faults.Inject(step.Fault!, step.Device);
                }
            }
            catch (ArgumentException ex)
            {
                SimulatorLog.ScriptStepFailed(_logger, ex, step.At, Name);
            }
        }

        if (fired)
        {
            _physics.Refresh();
        }
    }

    // FNV-1a over the seed and names: stable across processes (string.GetHashCode is randomised).
    private static int StableSeed(int seed, string estate, string deviceId)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var c in estate + "/" + deviceId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _clock.Dispose();
        await _endpoints.DisposeAsync();
        SimulatorLog.EstateStopped(_logger, Name);
    }
}
