namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Diesel generator with automatic transfer: when mains fails it starts after a delay, warms up and
/// closes its breaker (the estate is supplied again); when mains returns it latches "mains restored",
/// transfers back after a delay and cools down before stopping. The starter battery's voltage dips
/// on cranking; its internal resistance drifts, and rises under fault <c>battery-degraded</c>.
/// </summary>
internal sealed class GeneratorController : SimulatedDevice, IStandbySupply
{
    private IReadOnlyList<IElectricalLoad> _loads = [];
    private double _mainsLostFor;
    private double _mainsBackFor = double.MaxValue;
    private double _runningFor;
    private bool _running;
    private double _engineHours;
    private double _coolant = 40;
    private double _resistance;

    public GeneratorController(DeviceSetup setup)
        : base(setup)
    {
    }

    public bool SupplyingLoad { get; private set; }

    public override void Bind(LinkResolver links)
    {
        _loads = links.Many<IElectricalLoad>("loads", "an electrical load or meter");
        Environment.AddStandbySupply(this);
    }

    protected override void Reset(DateTimeOffset localTime)
    {
        _engineHours = Parameter("initialEngineHours");
        _resistance = Parameter("batteryResistanceMilliohm");
        Step(new SimulationStep(0, localTime, Environment));
    }

    public override void Step(in SimulationStep step)
    {
        var dt = step.Seconds;
        var mains = step.Environment.MainsAvailable;
        if (!mains)
        {
            _mainsLostFor += dt;
            _mainsBackFor = 0;
            if (!_running && _mainsLostFor >= Parameter("startDelayS"))
            {
                _running = true;
                _runningFor = 0;
            }
        }
        else
        {
            _mainsLostFor = 0;
            if (_mainsBackFor < double.MaxValue)
            {
                _mainsBackFor += dt;
            }
        }

        if (_running)
        {
            _runningFor += dt;
            _engineHours += step.Hours;
        }

        // Transfer to the generator after warm-up; back to mains after the return delay.
        if (_running && !mains && _runningFor >= Parameter("warmUpS"))
        {
            SupplyingLoad = true;
        }

        if (mains && SupplyingLoad && _mainsBackFor >= Parameter("returnDelayS"))
        {
            SupplyingLoad = false;
        }

        if (mains && _running && !SupplyingLoad && _mainsBackFor >= Parameter("returnDelayS") + Parameter("coolDownS"))
        {
            _running = false;
        }

        var cranking = _running && _runningFor < 3;
        _coolant = Lag(_coolant, _running ? 82 : 40, 240, dt);
        var targetResistance = IsFaultActive("battery-degraded") ? Parameter("batteryResistanceMilliohm") * 2.8 : Parameter("batteryResistanceMilliohm");
        _resistance = Lag(_resistance, targetResistance, 20, dt);

        var load = 0.0;
        if (SupplyingLoad)
        {
            foreach (var l in _loads)
            {
                load += l.PowerKw;
            }
        }

        var restored = mains && _mainsBackFor < 60;
        Set("engineRunning", _running);
        Set("generatorBreakerClosed", SupplyingLoad);
        Set("mainsAvailable", mains);
        Set("mainsBreakerClosed", mains && !SupplyingLoad);
        Set("mainsRestored", restored);
        Set("commonAlarm", _resistance > Parameter("batteryResistanceMilliohm") * 2);
        Set("autoMode", true);
        Set("generatorVoltage", _running && !cranking ? 230 + Noise(0.5) : 0);
        Set("generatorFrequency", _running && !cranking ? 50 + Noise(0.03) : 0);
        Set("generatorPower", load);
        Set("batteryVoltage", cranking ? 21.5 + Noise(0.2) : (_running ? 27.8 : 27.2) + Noise(0.05));
        Set("batteryInternalResistance", _resistance + Noise(0.01));
        Set("engineHours", _engineHours);
        Set("coolantTemp", _coolant);
    }
}
