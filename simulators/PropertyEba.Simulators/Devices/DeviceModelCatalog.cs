using PropertyEba.Simulators.Devices.Models;

namespace PropertyEba.Simulators.Devices;

/// <summary>A link a model accepts in the site file: its name and what it must name.</summary>
/// <param name="Name">The key under <c>links</c>, e.g. <c>fills</c>.</param>
/// <param name="Meaning">What the link means, for people.</param>
public sealed record DeviceLinkInfo(string Name, string Meaning);

/// <summary>A model parameter a site file may set, with its default.</summary>
public sealed record DeviceParameterInfo(string Name, double Default, string Meaning);

/// <summary>A simulated equipment model: the profile it serves, its parameters, links and faults.</summary>
public sealed record DeviceModelInfo(
    string Model,
    string Behaviour,
    IReadOnlyList<DeviceParameterInfo> Parameters,
    IReadOnlyList<DeviceLinkInfo> Links,
    IReadOnlyList<string> Faults)
{
    internal Func<DeviceSetup, SimulatedDevice> Create { get; init; } = null!;
}

/// <summary>Every equipment model the simulators can impersonate, keyed by the model id of its device profile.</summary>
public static class DeviceModelCatalog
{
    private static readonly DeviceModelInfo[] Models =
    [
        new("power-meter-3p", "Base load on the daily profile plus linked loads; currents from power, voltage and power factor; kWh integrates kW; zero without supply.",
            [P("baseLoadKw", 20, "peak base load (lighting, lifts), follows the daily profile"), P("ratedKw", 250, "load at which power factor is best"), P("nominalVoltage", 220, "phase voltage L-N"), P("initialEnergyKwh", 125_000, "energy counter at start")],
            [L("loads", "pump sets, fans, fire pumps or sub-meters whose power this meter also measures")], [])
        { Create = s => new PowerMeter(s) },
        new("transformer-temp-controller", "Winding temperatures follow the linked load with a 10 min thermal lag; fans, alarm and trip bits on thresholds.",
            [P("ratedKva", 800, "transformer rating"), P("ambientC", 30, "room temperature"), P("ratedRiseC", 70, "winding rise at full load"), P("fanOnC", 100, "fans start"), P("fanOffC", 80, "fans stop"), P("alarmC", 130, "initial alarm setpoint"), P("tripC", 150, "initial trip setpoint")],
            [L("load", "the meter (or loads) on this transformer")], ["transformer-overheat"])
        { Create = s => new TransformerTemperatureController(s) },
        new("lv-breaker-panel", "Incomers closed while mains is present; generator incomer closed while the generator carries the load.",
            [], [L("generator", "the generator controller whose breaker feeds this board")], [])
        { Create = s => new BreakerPanel(s) },
        new("generator-controller", "Starts after mains fails, closes on load after warm-up, transfers back after mains returns and cools down; battery voltage dips when cranking.",
            [P("startDelayS", 5, "mains-fail to start"), P("warmUpS", 10, "start to breaker closed"), P("returnDelayS", 30, "mains-return to transfer back"), P("coolDownS", 60, "off-load run before stop"), P("batteryResistanceMilliohm", 5.2, "healthy battery internal resistance"), P("initialEngineHours", 312.5, "engine hours at start")],
            [L("loads", "the meter (or loads) the generator carries")], ["battery-degraded"])
        { Create = s => new GeneratorController(s) },
        new("pump-set-duplex", "Fills the linked tank between start and stop levels (duty alternates), or holds the pressure setpoint; pressure and power follow speed.",
            [P("ratedFlowM3PerHour", 18, "one pump's flow at 50 Hz"), P("ratedKw", 7.5, "one pump's power at 50 Hz"), P("runFrequencyHz", 45, "speed when filling a tank"), P("startLevelM", 1.2, "duty pump starts below"), P("stopLevelM", 2.6, "pumps stop above"), P("staticPressureKpa", 60, "outlet pressure with pumps stopped"), P("headPressureKpa", 400, "pressure added at 50 Hz"), P("setpointKpa", 380, "initial pressure setpoint"), P("takeoverS", 120, "pump 2 runs at least this long after pump 1 trips"), P("initialRunHours1", 8123.4, "pump 1 run hours at start"), P("initialRunHours2", 7988.1, "pump 2 run hours at start")],
            [L("fills", "the tank this set fills")], ["pump-trip", "pipe-burst"])
        { Create = s => new PumpSet(s) },
        new("municipal-inlet-pressure", "Supply pressure that sags at the daily demand peaks.",
            [P("nominalKpa", 280, "night-time pressure"), P("dropAtPeakKpa", 60, "sag at peak demand")], [], [])
        { Create = s => new MunicipalInletPressure(s) },
        new("water-tank-level", "Level integrates linked pump sets' delivery minus demand (daily profile) over the tank area; low and overflow switches.",
            [P("heightM", 3.0, "tank height (overflow)"), P("areaM2", 8, "floor area"), P("initialLevelM", 1.8, "level at start"), P("peakDemandM3PerHour", 10, "draw at peak hour"), P("lowSwitchM", 0.5, "low-level switch and alarm threshold"), P("highSwitchM", 2.9, "overflow switch"), P("leakM3PerHour", 1.5, "extra draw under fault leak"), P("tankLowDrainMPerS", 0.8, "level fall rate under fault tank-low"), P("tankLowFloorM", 0.3, "level reached under fault tank-low")],
            [], ["tank-low", "tank-overflow", "leak"])
        { Create = s => new WaterTank(s) },
        new("water-ingress-sensor", "Wet while a watched device floods the room, and for a while after.",
            [P("dryingS", 60, "how long the floor stays wet")], [L("watches", "pump sets or tanks in the same room")], ["water-ingress"])
        { Create = s => new WaterIngressSensor(s) },
        new("fan-controller", "Runs when the command coil is on (after a start delay); current and power follow.",
            [P("ratedKw", 2.2, "motor power"), P("ratedCurrentA", 4.6, "motor current"), P("startDelayS", 2, "command to running feedback"), P("initiallyOn", 0, "1 = command coil on at start")],
            [], ["fan-trip"])
        { Create = s => new FanController(s) },
        new("fire-alarm-panel", "Fire alarm and fault from faults; mains power fault while the estate is unsupplied.",
            [P("alarmDevices", 2, "detectors in alarm under fault fire-alarm"), P("faultDevices", 3, "devices in fault under fault fire-panel-fault")], [], ["fire-alarm", "fire-panel-fault"])
        { Create = s => new FireAlarmPanel(s) },
        new("co2-panel", "Cylinder pressure follows the day's temperature; zone alarm follows the linked fire panel.",
            [P("cylinderPressureMPa", 5.7, "cylinder pressure at 20 °C")], [L("panel", "the fire alarm panel")], ["co2-panel-fault"])
        { Create = s => new Co2Panel(s) },
        new("fire-pressure-monitor", "Fire main decays slowly and is topped up by the jockey pump; sprinklers flowing in a fire pull it down until the main pump holds it.",
            [P("initialKpa", 600, "fire main pressure at start"), P("decayKpaPerMinute", 2, "leak-down through valve seats"), P("sprinklerOffsetKpa", 40, "sprinkler main reads this much lower")],
            [L("pumps", "the fire pump controller"), L("panel", "the fire alarm panel (a fire opens sprinklers)")], [])
        { Create = s => new FirePressureMonitor(s) },
        new("fire-pump-controller", "Jockey pump between start and stop pressures; main pump below its start pressure until the flow stops.",
            [P("jockeyStartKpa", 560, "jockey starts below"), P("jockeyStopKpa", 620, "jockey stops above"), P("mainStartKpa", 450, "main pump starts below"), P("mainPumpKw", 55, "main pump power"), P("jockeyPumpKw", 3, "jockey pump power")],
            [L("pressure", "the fire pressure monitor it senses")], ["fire-pump-fault"])
        { Create = s => new FirePumpController(s) },
        new("fire-tank-level", "Float valve holds the normal level; the main fire pump draws it down.",
            [P("heightM", 4.0, "pool depth"), P("areaM2", 120, "pool area"), P("normalLevelM", 3.6, "float valve level"), P("lowLevelM", 2.0, "fire reserve (low alarm)"), P("highLevelM", 3.9, "high alarm"), P("mainPumpFlowM3PerHour", 144, "main pump draw (40 L/s)"), P("refillM3PerHour", 20, "float valve refill")],
            [L("pumps", "the fire pump controller drawing from it")], [])
        { Create = s => new FireTank(s) },
        new("water-meter", "Measures the linked flow (or a consumer on the daily profile); the volume counter integrates it.",
            [P("initialVolumeM3", 54_321.5, "counter at start"), P("peakFlowM3PerHour", 6, "peak flow when not linked"), P("leakM3PerHour", 1.2, "extra flow under fault leak")],
            [L("measures", "a tank (its outflow to the building) or a pump set (its delivery)")], ["leak"])
        { Create = s => new WaterMeter(s) },
    ];

    private static readonly Dictionary<string, DeviceModelInfo> ByModel = Models.ToDictionary(m => m.Model, StringComparer.Ordinal);

    /// <summary>Every model, in catalogue order.</summary>
    public static IReadOnlyList<DeviceModelInfo> All => Models;

    /// <summary>Finds a model by id, or null.</summary>
    public static DeviceModelInfo? Find(string model) => ByModel.GetValueOrDefault(model);

    private static DeviceParameterInfo P(string name, double value, string meaning) => new(name, value, meaning);

    private static DeviceLinkInfo L(string name, string meaning) => new(name, meaning);
}
