namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Domestic water tank: pump sets linked with <c>fills</c> pour in, the estate's demand (daily
/// profile) draws out, the level integrates the difference over the tank's area. Float switches
/// report low level (below <c>lowSwitchM</c>, 0.5 m by default) and overflow.
/// Faults: <c>tank-low</c> (inlet valve stuck shut and the tank drawn down: the level falls at
/// <c>tankLowDrainMPerS</c>, 0.8 m/s, to 0.3 m — below the 0.5 m low-level threshold within about 4 s
/// from any level), <c>tank-overflow</c> (inlet float valve stuck open: the level rises over the
/// overflow switch and water spills), <c>leak</c> (a constant extra draw of <c>leakM3PerHour</c>, visible at night).
/// </summary>
internal sealed class WaterTank : SimulatedDevice, IWaterTank, IWaterFlowSource, IFloodSource
{
    private readonly List<ITankFiller> _fillers = [];
    private double _level;

    public WaterTank(DeviceSetup setup)
        : base(setup)
    {
    }

    public double LevelM => _level;

    public double FlowM3PerHour { get; private set; }

    public bool Flooding => IsFaultActive("tank-overflow") && _level >= Parameter("heightM");

    public void AddFiller(ITankFiller filler) => _fillers.Add(filler);

    protected override void Reset(DateTimeOffset localTime)
    {
        _level = Parameter("initialLevelM");
        Publish(0);
    }

    public override void Step(in SimulationStep step)
    {
        var height = Parameter("heightM");
        var inflow = 0.0;
        foreach (var f in _fillers)
        {
            inflow += f.DeliveredFlowM3PerHour;
        }

        FlowM3PerHour = Math.Max(0, Parameter("peakDemandM3PerHour") * EstateEnvironment.WaterDemandFactor(step.LocalTime) * (1 + Noise(0.03)));
        if (IsFaultActive("leak"))
        {
            FlowM3PerHour += Parameter("leakM3PerHour");
        }

        if (IsFaultActive("tank-low"))
        {
            // Accelerated for rehearsal: a drained tank is reached in seconds, not hours.
            _level = Ramp(_level, Parameter("tankLowFloorM"), Parameter("tankLowDrainMPerS"), step.Seconds);
        }
        else if (IsFaultActive("tank-overflow"))
        {
            _level = Ramp(_level, height + 0.05, Parameter("tankLowDrainMPerS") / 2, step.Seconds);
        }
        else
        {
            _level += (inflow - FlowM3PerHour) / Parameter("areaM2") * step.Hours;
        }

        _level = Math.Clamp(_level, 0, height + 0.05);
        Publish(0.002);
    }

    private void Publish(double noise)
    {
        var reading = Math.Max(0, _level + Noise(noise));
        Set("level", reading);
        Set("levelPercent", reading / Parameter("heightM") * 100);
        Set("lowLevel", _level < Parameter("lowSwitchM"));
        Set("highLevel", _level >= Parameter("highSwitchM"));
    }
}
