namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Water meter: measures the flow of the linked device (<c>measures</c>: a tank's outflow to the
/// building, a pump set's delivery), or, unlinked, a consumer following the daily demand profile.
/// The volume counter integrates the flow. Fault <c>leak</c>: a constant extra flow, day and night.
/// </summary>
internal sealed class WaterMeter : SimulatedDevice
{
    private IReadOnlyList<IWaterFlowSource> _sources = [];
    private double _volume;

    public WaterMeter(DeviceSetup setup)
        : base(setup)
    {
    }

    public override void Bind(LinkResolver links) => _sources = links.Many<IWaterFlowSource>("measures", "a water tank or pump set");

    protected override void Reset(DateTimeOffset localTime)
    {
        _volume = Parameter("initialVolumeM3");
        Step(new SimulationStep(0, localTime, Environment));
    }

    public override void Step(in SimulationStep step)
    {
        double flow;
        if (_sources.Count > 0)
        {
            flow = 0;
            foreach (var s in _sources)
            {
                flow += s.FlowM3PerHour;
            }
        }
        else
        {
            flow = Parameter("peakFlowM3PerHour") * EstateEnvironment.WaterDemandFactor(step.LocalTime) * (1 + Noise(0.05));
        }

        if (IsFaultActive("leak"))
        {
            flow += Parameter("leakM3PerHour");
        }

        flow = Math.Max(0, flow);
        _volume += flow * step.Hours;
        Set("totalVolume", _volume);
        Set("flowRate", flow);
        Set("reverseFlow", false);
        Set("lowBattery", false);
    }
}
