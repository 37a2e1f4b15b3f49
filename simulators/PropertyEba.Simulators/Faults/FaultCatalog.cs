using PropertyEba.Simulators.Devices;

namespace PropertyEba.Simulators.Faults;

/// <summary>How a fault acts.</summary>
public enum FaultKind
{
    /// <summary>Changes one device's physics (a pump trips, a tank drains).</summary>
    Physical,

    /// <summary>Changes what the whole estate shares (mains supply).</summary>
    Estate,

    /// <summary>Changes how one device answers on the wire (no reply, slow, exception, garbage).</summary>
    Communication,
}

/// <summary>A fault that can be injected, and the models it applies to.</summary>
public sealed record FaultInfo(string Name, FaultKind Kind, string Description, IReadOnlyList<string> Models);

/// <summary>Every fault the simulators know.</summary>
public static class FaultCatalog
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["tank-low"] = "Domestic tank inlet stuck shut and the tank drawn down: level falls at 0.8 m/s (simulated) to 0.3 m, under the 0.5 m low-level threshold within ~4 s; the low-level switch closes.",
        ["tank-overflow"] = "Tank inlet float valve stuck open: level rises over the overflow switch; water-ingress sensors watching the tank get wet.",
        ["leak"] = "A constant extra draw (tank: 1.5 m³/h, water meter: 1.2 m³/h), day and night: night-time flow no longer falls to near zero.",
        ["pump-trip"] = "Pump 1's VFD trips: pump1.vfdFault = 1, pump 1 stops; the controller hands duty to pump 2, which runs (at least 2 min, then on the level controller).",
        ["pipe-burst"] = "Outlet pipe bursts: outlet pressure collapses, the pumps run at 50 Hz, the tank no longer fills, water-ingress sensors watching the set get wet.",
        ["transformer-overheat"] = "Cooling path blocked: windings climb towards 170 °C (time constant 90 s), over-temperature alarm then trip.",
        ["mains-failure"] = "Utility supply lost: meters read zero, incomers open; the generator starts after 5 s and takes the load after 10 s more. Clearing restores mains: 'mains restored' latches, the load transfers back after 30 s and the engine stops after 60 s more.",
        ["battery-degraded"] = "Generator starter battery ageing: internal resistance rises to 2.8× its healthy value; common alarm.",
        ["fire-alarm"] = "Fire alarm on the panel; sprinklers open, fire main pressure falls and the main fire pump starts; the fire pool draws down.",
        ["fire-panel-fault"] = "Fire alarm panel fault (e.g. a loop open circuit).",
        ["co2-panel-fault"] = "CO2 extinguishing panel fault.",
        ["fire-pump-fault"] = "Main fire pump fails; the standby pump runs when called.",
        ["water-ingress"] = "Water on the floor at this sensor.",
        ["fan-trip"] = "Fan motor overload trips: fan stops, fault set.",
        ["no-reply"] = "The device stops answering (requests time out).",
        ["slow-reply"] = "The device answers after 1.5 s.",
        ["exception-reply"] = "The device answers every request with exception 04 (slave device failure).",
        ["garbage-reply"] = "The device answers with corrupt frames.",
    };

    private static readonly string[] PowerModels = ["power-meter-3p", "generator-controller", "lv-breaker-panel"];

    private static readonly FaultInfo[] Faults = Build();

    /// <summary>Every fault, physical first, then estate-wide, then communication faults.</summary>
    public static IReadOnlyList<FaultInfo> All => Faults;

    /// <summary>The delay of <c>slow-reply</c>.</summary>
    public static TimeSpan SlowReplyDelay { get; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Finds a fault by name, or null.</summary>
    public static FaultInfo? Find(string name) => Array.Find(Faults, f => f.Name == name);

    private static FaultInfo[] Build()
    {
        var list = new List<FaultInfo>();
        var physical = new List<string>();
        foreach (var m in DeviceModelCatalog.All)
        {
            foreach (var f in m.Faults)
            {
                if (!physical.Contains(f))
                {
                    physical.Add(f);
                }
            }
        }

        foreach (var f in physical)
        {
            var models = DeviceModelCatalog.All.Where(m => m.Faults.Contains(f)).Select(m => m.Model).ToArray();
            list.Add(new FaultInfo(f, FaultKind.Physical, Descriptions[f], models));
        }

        list.Add(new FaultInfo("mains-failure", FaultKind.Estate, Descriptions["mains-failure"], PowerModels));
        var all = DeviceModelCatalog.All.Select(m => m.Model).ToArray();
        foreach (var f in (string[])["no-reply", "slow-reply", "exception-reply", "garbage-reply"])
        {
            list.Add(new FaultInfo(f, FaultKind.Communication, Descriptions[f], all));
        }

        return [.. list];
    }
}
