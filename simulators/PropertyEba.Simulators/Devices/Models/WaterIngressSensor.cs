namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Floor water-ingress detector: wet while a watched device floods the room (a burst pipe, an
/// overflowing tank) and for <c>dryingS</c> afterwards. Fault <c>water-ingress</c> wets it directly.
/// </summary>
internal sealed class WaterIngressSensor : SimulatedDevice
{
    private IReadOnlyList<IFloodSource> _watched = [];
    private double _dryFor = double.MaxValue;

    public WaterIngressSensor(DeviceSetup setup)
        : base(setup)
    {
    }

    public override void Bind(LinkResolver links) => _watched = links.Many<IFloodSource>("watches", "a device that can flood the room (pump set, tank)");

    protected override void Reset(DateTimeOffset localTime)
    {
        Set("waterDetected", false);
        Set("sensorFault", false);
    }

    public override void Step(in SimulationStep step)
    {
        var flooding = IsFaultActive("water-ingress");
        foreach (var w in _watched)
        {
            flooding |= w.Flooding;
        }

        _dryFor = flooding ? 0 : (_dryFor == double.MaxValue ? _dryFor : _dryFor + step.Seconds);
        Set("waterDetected", flooding || _dryFor < Parameter("dryingS"));
        Set("sensorFault", false);
    }
}
