using Microsoft.Extensions.Logging;
using PropertyEba.Modbus;
using PropertyEba.Simulators.Devices;

namespace PropertyEba.Simulators.Faults;

/// <summary>A fault in effect: which, and on which device.</summary>
public sealed record ActiveFault(string Fault, string DeviceId);

/// <summary>
/// Injects faults into an estate's devices and clears them: physical faults change a device's model,
/// estate faults the shared environment, communication faults how the device's slave answers.
/// Not thread-safe: the estate calls it under its lock.
/// </summary>
internal sealed class FaultInjector
{
    private readonly string _estate;
    private readonly IReadOnlyList<SimulatedDevice> _devices;
    private readonly EstateEnvironment _environment;
    private readonly ILogger _logger;
    private readonly List<ActiveFault> _active = [];

    public FaultInjector(string estate, IReadOnlyList<SimulatedDevice> devices, EstateEnvironment environment, ILogger logger)
    {
        _estate = estate;
        _devices = devices;
        _environment = environment;
        _logger = logger;
        Available = [.. FaultCatalog.All.Where(f => devices.Any(d => f.Models.Contains(d.Model))).Select(f => f.Name)];
    }

    /// <summary>The faults that apply to at least one device of the estate.</summary>
    public IReadOnlyList<string> Available { get; }

    public IReadOnlyList<ActiveFault> Active => [.. _active];

    /// <summary>Injects a fault into a device (or the first device it applies to) and returns that device's id.</summary>
    public string Inject(string fault, string? deviceId)
    {
        var info = FaultCatalog.Find(fault);
        if (info is null || !Available.Contains(fault))
        {
            throw new ArgumentException($"Fault '{fault}' is not known in estate {_estate}; allowed faults: {string.Join(", ", Available)}.", nameof(fault));
        }

        var target = deviceId is null
            ? _devices.First(d => info.Models.Contains(d.Model))
            : _devices.FirstOrDefault(d => d.Id == deviceId)
                ?? throw new ArgumentException($"Estate {_estate} has no device '{deviceId}'; devices: {string.Join(", ", _devices.Select(d => d.Id))}.", nameof(deviceId));
        if (!info.Models.Contains(target.Model))
        {
            var fits = _devices.Where(d => info.Models.Contains(d.Model)).Select(d => d.Id);
            throw new ArgumentException($"Fault '{fault}' does not apply to device '{target.Id}' ({target.Model}); it applies to: {string.Join(", ", fits)}.", nameof(deviceId));
        }

        switch (info.Kind)
        {
            case FaultKind.Physical:
                target.SetFault(fault, true);
                break;
            case FaultKind.Estate:
                _environment.MainsAvailable = false;
                break;
            default:
                ApplyCommunication(target.Store.Faults, fault);
                break;
        }

        if (!_active.Contains(new ActiveFault(fault, target.Id)))
        {
            _active.Add(new ActiveFault(fault, target.Id));
        }

        SimulatorLog.FaultInjected(_logger, fault, target.Id, _estate);
        return target.Id;
    }

    /// <summary>Clears every fault: devices recover physically (a tank refills over time), slaves answer normally, mains returns.</summary>
    public void ClearAll()
    {
        foreach (var d in _devices)
        {
            foreach (var a in _active)
            {
                if (a.DeviceId == d.Id && FaultCatalog.Find(a.Fault)?.Kind == FaultKind.Physical)
                {
                    d.SetFault(a.Fault, false);
                }
            }

            d.Store.Faults.Clear();
        }

        _environment.MainsAvailable = true;
        _active.Clear();
        SimulatorLog.FaultsCleared(_logger, _estate);
    }

    private static void ApplyCommunication(SlaveFaults faults, string fault)
    {
        switch (fault)
        {
            case "no-reply": faults.NoReply = true; break;
            case "slow-reply": faults.ReplyDelay = FaultCatalog.SlowReplyDelay; break;
            case "exception-reply": faults.ExceptionReply = ModbusExceptionCode.SlaveDeviceFailure; break;
            case "garbage-reply": faults.GarbageReply = true; break;
            default: throw new ArgumentOutOfRangeException(nameof(fault), fault, "Not a communication fault.");
        }
    }
}
