namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Ventilation fan starter: a master writes the on/off coil; the running feedback follows after the
/// contactor and motor start (<c>startDelayS</c>); current and power follow. Fault <c>fan-trip</c>: the overload trips.
/// </summary>
internal sealed class FanController : SimulatedDevice, IElectricalLoad
{
    private double _commandedFor;

    public FanController(DeviceSetup setup)
        : base(setup)
    {
    }

    public double PowerKw { get; private set; }

    protected override void Reset(DateTimeOffset localTime)
    {
        Set("fanCommand", Parameter("initiallyOn") != 0);
        _commandedFor = Parameter("initiallyOn") != 0 ? Parameter("startDelayS") : 0;
        Step(new SimulationStep(0, localTime, Environment));
    }

    public override void Step(in SimulationStep step)
    {
        var commanded = Get("fanCommand") != 0;
        _commandedFor = commanded ? _commandedFor + step.Seconds : 0;
        var tripped = IsFaultActive("fan-trip");
        var running = commanded && !tripped && step.Environment.SupplyAvailable && _commandedFor >= Parameter("startDelayS");
        PowerKw = running ? Parameter("ratedKw") * (1 + Noise(0.01)) : 0;
        Set("fanRunning", running);
        Set("fanFault", tripped);
        Set("remoteMode", true);
        Set("motorCurrent", running ? Parameter("ratedCurrentA") * PowerKw / Parameter("ratedKw") : 0);
    }
}
