namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Three-phase power meter on a switchboard feeder: power is a base load that follows the daily
/// profile plus every linked load (pumps, fans, sub-meters); currents follow power, voltage and power
/// factor; the energy counter integrates power. With no supply it reads zero.
/// </summary>
internal sealed class PowerMeter : SimulatedDevice, IElectricalLoad
{
    private static readonly double[] PhaseShare = [1.00, 1.04, 0.96];
    private IReadOnlyList<IElectricalLoad> _loads = [];
    private double _energyKwh;

    public PowerMeter(DeviceSetup setup)
        : base(setup)
    {
    }

    public double PowerKw { get; private set; }

    public override void Bind(LinkResolver links) => _loads = links.Many<IElectricalLoad>("loads", "an electrical load (pump set, fan, fire pump, meter)");

    protected override void Reset(DateTimeOffset localTime)
    {
        _energyKwh = Parameter("initialEnergyKwh");
        Set("energyImport", _energyKwh);
        Step(new SimulationStep(0, localTime, Environment));
    }

    public override void Step(in SimulationStep step)
    {
        if (!step.Environment.SupplyAvailable)
        {
            PowerKw = 0;
            foreach (var id in (string[])["voltageL1", "voltageL2", "voltageL3", "currentL1", "currentL2", "currentL3", "activePower", "powerFactor", "frequency"])
            {
                Set(id, 0);
            }

            Set("energyImport", _energyKwh);
            return;
        }

        var load = Parameter("baseLoadKw") * EstateEnvironment.PowerDemandFactor(step.LocalTime);
        foreach (var l in _loads)
        {
            load += l.PowerKw;
        }

        PowerKw = Math.Max(0, load * (1 + Noise(0.004)));
        var rated = Parameter("ratedKw");
        var fraction = Math.Min(1.0, PowerKw / rated);
        var pf = Math.Clamp(0.86 + 0.08 * fraction + Noise(0.002), 0.5, 0.99);
        var nominal = Parameter("nominalVoltage");
        Span<double> volts = stackalloc double[3];
        for (var i = 0; i < 3; i++)
        {
            // Voltage sags a little with load.
            volts[i] = nominal * (1 - 0.02 * fraction) + Noise(0.4);
        }

        Set("voltageL1", volts[0]);
        Set("voltageL2", volts[1]);
        Set("voltageL3", volts[2]);
        Set("currentL1", PowerKw * 1000 / (3 * volts[0] * pf) * PhaseShare[0]);
        Set("currentL2", PowerKw * 1000 / (3 * volts[1] * pf) * PhaseShare[1]);
        Set("currentL3", PowerKw * 1000 / (3 * volts[2] * pf) * PhaseShare[2]);
        Set("activePower", PowerKw);
        Set("powerFactor", pf);
        Set("frequency", 50 + Noise(0.01));
        _energyKwh += PowerKw * step.Hours;
        Set("energyImport", _energyKwh);
    }
}
