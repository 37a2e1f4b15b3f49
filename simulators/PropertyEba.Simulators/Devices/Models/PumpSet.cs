namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Duplex booster pump set on VFDs. Linked to a tank (<c>fills</c>), it runs one pump at a time:
/// the duty pump starts when the tank falls below the start level and stops above the stop level,
/// duty alternating at each start. Without a tank it holds the outlet pressure setpoint. Outlet
/// pressure follows the running pump's speed (affinity law), power its cube.
/// Faults: <c>pump-trip</c> (pump 1 VFD trips and stops; pump 2 takes over and runs for at least <c>takeoverS</c>, then on the level controller),
/// <c>pipe-burst</c> (outlet pressure collapses, pumps run flat out, water floods the room and no longer reaches the tank).
/// </summary>
internal sealed class PumpSet : SimulatedDevice, IElectricalLoad, IWaterFlowSource, ITankFiller, IFloodSource
{
    private readonly double[] _frequency = new double[2];
    private readonly double[] _runHours = new double[2];
    private readonly bool[] _vfdFault = new bool[2];
    private IWaterTank? _tank;
    private double _pressure;
    private double _takeoverLeftS;
    private bool _calling;
    private int _duty;

    public PumpSet(DeviceSetup setup)
        : base(setup)
    {
    }

    public double PowerKw { get; private set; }

    public double FlowM3PerHour { get; private set; }

    public double DeliveredFlowM3PerHour => IsFaultActive("pipe-burst") ? 0 : FlowM3PerHour;

    public bool Flooding => IsFaultActive("pipe-burst");

    public override void Bind(LinkResolver links)
    {
        _tank = links.One<IWaterTank>("fills", "a water tank");
        _tank?.AddFiller(this);
    }

    protected override void Reset(DateTimeOffset localTime)
    {
        _runHours[0] = Parameter("initialRunHours1");
        _runHours[1] = Parameter("initialRunHours2");
        Set("pressureSetpoint", Parameter("setpointKpa"));
        _pressure = Parameter("staticPressureKpa");
        if (_tank is not null)
        {
            // Between the thresholds a real controller keeps its last state; start filling if in the lower half.
            _calling = _tank.LevelM < (Parameter("startLevelM") + Parameter("stopLevelM")) / 2;
            if (_calling)
            {
                _frequency[0] = Parameter("runFrequencyHz");
                _pressure = PressureAt(_frequency[0]);
            }
        }

        Publish(0);
    }

    protected override void OnFaultChanged(string fault, bool active)
    {
        if (fault != "pump-trip")
        {
            return;
        }

        _vfdFault[0] = active;
        if (active)
        {
            // Pump 1 tripped when called: the controller hands the duty to pump 2, which runs at once
            // and for at least the take-over time, then follows the level controller as usual.
            _duty = 1;
            _calling = true;
            _takeoverLeftS = Parameter("takeoverS");
        }
    }

    public override void Step(in SimulationStep step)
    {
        var dt = step.Seconds;
        var burst = IsFaultActive("pipe-burst");
        _takeoverLeftS = Math.Max(0, _takeoverLeftS - dt);
        double target;
        if (_tank is not null)
        {
            if (!_calling && _tank.LevelM < Parameter("startLevelM"))
            {
                _calling = true;
                _duty = 1 - _duty;
            }
            else if (_calling && !burst && _takeoverLeftS <= 0 && _tank.LevelM > Parameter("stopLevelM"))
            {
                _calling = false;
            }

            target = Parameter("runFrequencyHz");
        }
        else
        {
            // Constant-pressure mode: the speed that holds the setpoint at today's demand.
            _calling = true;
            var needed = Math.Max(0, Get("pressureSetpoint") - Parameter("staticPressureKpa")) / Parameter("headPressureKpa");
            target = Math.Clamp(50 * Math.Sqrt(needed) * (0.92 + 0.16 * EstateEnvironment.WaterDemandFactor(step.LocalTime)), 25, 50);
        }

        if (burst)
        {
            _calling = true;
            target = 50;
        }

        if (_vfdFault[_duty] && !_vfdFault[1 - _duty])
        {
            _duty = 1 - _duty;
        }

        var running = _calling && step.Environment.SupplyAvailable && !_vfdFault[_duty] ? _duty : -1;
        for (var i = 0; i < 2; i++)
        {
            // A tripped or de-energised drive stops at once; a healthy one ramps at 10 Hz/s.
            _frequency[i] = i == running ? Ramp(_frequency[i], target, 10, dt) : (_vfdFault[i] || !step.Environment.SupplyAvailable ? 0 : Ramp(_frequency[i], 0, 10, dt));
            if (_frequency[i] > 0)
            {
                _runHours[i] += step.Hours;
            }
        }

        var f = Math.Max(_frequency[0], _frequency[1]);
        var targetPressure = burst ? Parameter("staticPressureKpa") * 0.4 : PressureAt(f);
        _pressure = Lag(_pressure, targetPressure, burst ? 2 : 1.5, dt);
        FlowM3PerHour = Parameter("ratedFlowM3PerHour") * (f / 50) * (burst ? 1.4 : 1.0);
        Publish(0.003);
    }

    private double PressureAt(double frequencyHz) =>
        Parameter("staticPressureKpa") + Parameter("headPressureKpa") * (frequencyHz / 50) * (frequencyHz / 50);

    private void Publish(double noise)
    {
        var kwPerPump = new double[2];
        PowerKw = 0;
        for (var i = 0; i < 2; i++)
        {
            var speed = _frequency[i] / 50;
            kwPerPump[i] = Parameter("ratedKw") * speed * speed * speed * (IsFaultActive("pipe-burst") && _frequency[i] > 0 ? 1.25 : 1.0);
            PowerKw += kwPerPump[i];
        }

        Set("pump1.running", _frequency[0] > 0);
        Set("pump1.vfdFault", _vfdFault[0]);
        Set("pump2.running", _frequency[1] > 0);
        Set("pump2.vfdFault", _vfdFault[1]);
        Set("autoMode", true);
        Set("lowWaterCutoff", false);
        Set("pump1.frequency", _frequency[0]);
        Set("pump2.frequency", _frequency[1]);
        Set("outletPressure", Math.Max(0, _pressure * (1 + Noise(noise))));
        Set("pump1.runHours", _runHours[0]);
        Set("pump2.runHours", _runHours[1]);

        // Motor current at 380 V, PF 0.85, plus magnetising current while turning.
        Set("pump1.current", kwPerPump[0] > 0 ? kwPerPump[0] * 1000 / (1.732 * 380 * 0.85) + 1.5 * (_frequency[0] / 50) : 0);
        Set("pump2.current", kwPerPump[1] > 0 ? kwPerPump[1] * 1000 / (1.732 * 380 * 0.85) + 1.5 * (_frequency[1] / 50) : 0);
    }
}
