namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Low-voltage switchboard breaker states: the incomers are closed while mains is present; in a
/// mains failure they open and the generator incomer closes once the generator is on load. Feeders stay closed.
/// </summary>
internal sealed class BreakerPanel : SimulatedDevice
{
    private IReadOnlyList<IStandbySupply> _generators = [];

    public BreakerPanel(DeviceSetup setup)
        : base(setup)
    {
    }

    public override void Bind(LinkResolver links) => _generators = links.Many<IStandbySupply>("generator", "a generator controller");

    protected override void Reset(DateTimeOffset localTime) => Step(new SimulationStep(0, localTime, Environment));

    public override void Step(in SimulationStep step)
    {
        var mains = step.Environment.MainsAvailable;
        var generatorOnLoad = false;
        foreach (var g in _generators)
        {
            generatorOnLoad |= g.SupplyingLoad;
        }

        Set("incomer1.closed", mains && !generatorOnLoad);
        Set("incomer2.closed", mains && !generatorOnLoad);
        Set("busCoupler.closed", false);
        Set("generatorIncomer.closed", generatorOnLoad);
        Set("feeder1.closed", true);
        Set("feeder2.closed", true);
        Set("feeder3.closed", true);
        Set("feeder4.closed", true);
        Set("incomer1.tripped", false);
        Set("incomer2.tripped", false);
    }
}
