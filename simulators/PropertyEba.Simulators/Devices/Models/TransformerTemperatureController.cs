namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Dry-type transformer temperature controller: winding temperatures follow the load (from the
/// linked meter) with a thermal lag; cooling fans start and stop on thresholds; alarm and trip bits
/// follow the (writable) setpoints. Fault <c>transformer-overheat</c>: a blocked cooling path drives
/// the windings towards 170 °C.
/// </summary>
internal sealed class TransformerTemperatureController : SimulatedDevice
{
    private static readonly double[] PhaseOffset = [0.0, 1.5, -1.0];
    private readonly double[] _winding = new double[3];
    private IReadOnlyList<IElectricalLoad> _loads = [];
    private bool _fans;

    public TransformerTemperatureController(DeviceSetup setup)
        : base(setup)
    {
    }

    public override void Bind(LinkResolver links) => _loads = links.Many<IElectricalLoad>("load", "a power meter or load");

    protected override void Reset(DateTimeOffset localTime)
    {
        Set("alarmSetpoint", Parameter("alarmC"));
        Set("tripSetpoint", Parameter("tripC"));
        for (var i = 0; i < 3; i++)
        {
            _winding[i] = SteadyTemperature() + PhaseOffset[i];
        }

        Publish(0);
    }

    public override void Step(in SimulationStep step)
    {
        var target = SteadyTemperature();
        var tau = 600.0;
        if (IsFaultActive("transformer-overheat"))
        {
            target = 170;
            tau = 90;
        }

        for (var i = 0; i < 3; i++)
        {
            _winding[i] = Lag(_winding[i], target + PhaseOffset[i], tau, step.Seconds);
        }

        var hottest = Math.Max(_winding[0], Math.Max(_winding[1], _winding[2]));
        if (hottest >= Parameter("fanOnC"))
        {
            _fans = true;
        }
        else if (hottest <= Parameter("fanOffC"))
        {
            _fans = false;
        }

        Publish(0.15);
    }

    private double SteadyTemperature()
    {
        var kw = 0.0;
        foreach (var l in _loads)
        {
            kw += l.PowerKw;
        }

        var fraction = Math.Min(1.5, kw / (Parameter("ratedKva") * 0.9));
        var rise = Parameter("ratedRiseC") * Math.Pow(fraction, 1.6) * (_fans ? 0.8 : 1.0);
        return Parameter("ambientC") + rise;
    }

    private void Publish(double noise)
    {
        Set("windingTempA", _winding[0] + Noise(noise));
        Set("windingTempB", _winding[1] + Noise(noise));
        Set("windingTempC", _winding[2] + Noise(noise));
        Set("coreTemp", (_winding[0] + _winding[1] + _winding[2]) / 3 - 12 + Noise(noise));
        var hottest = Math.Max(_winding[0], Math.Max(_winding[1], _winding[2]));
        Set("fansRunning", _fans);
        Set("overTempAlarm", hottest >= Get("alarmSetpoint"));
        Set("overTempTrip", hottest >= Get("tripSetpoint"));
        Set("sensorFault", false);
    }
}
