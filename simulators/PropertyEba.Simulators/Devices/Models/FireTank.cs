namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Fire water pool: a float valve keeps it at its normal level; the main fire pump (linked with
/// <c>pumps</c>) draws it down at its rated flow; alarms below the fire reserve and above the overflow level.
/// </summary>
internal sealed class FireTank : SimulatedDevice
{
    private IFirePumps? _pumps;
    private double _level;

    public FireTank(DeviceSetup setup)
        : base(setup)
    {
    }

    public override void Bind(LinkResolver links) => _pumps = links.One<IFirePumps>("pumps", "a fire pump controller");

    protected override void Reset(DateTimeOffset localTime)
    {
        _level = Parameter("normalLevelM");
        Publish(0);
    }

    public override void Step(in SimulationStep step)
    {
        var outflow = _pumps?.MainPumpRunning == true ? Parameter("mainPumpFlowM3PerHour") : 0;
        var inflow = _level < Parameter("normalLevelM") ? Parameter("refillM3PerHour") : 0;
        _level = Math.Clamp(_level + (inflow - outflow) / Parameter("areaM2") * step.Hours, 0, Parameter("heightM"));
        Publish(0.003);
    }

    private void Publish(double noise)
    {
        Set("level", Math.Max(0, _level + Noise(noise)));
        Set("lowLevel", _level < Parameter("lowLevelM"));
        Set("highLevel", _level > Parameter("highLevelM"));
    }
}
