namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Fire main and sprinkler pressure: the mains lose pressure slowly through valve seats, the jockey
/// pump tops them up (a saw-tooth), a fire (linked panel in alarm) opens sprinkler heads and the
/// pressure falls until the main fire pump starts and holds it high.
/// </summary>
internal sealed class FirePressureMonitor : SimulatedDevice, IFireMainPressure
{
    private IFirePumps? _pumps;
    private IFireAlarmSource? _panel;
    private double _pressure;

    public FirePressureMonitor(DeviceSetup setup)
        : base(setup)
    {
    }

    public double FireMainPressureKpa => _pressure;

    public bool SprinklerFlowing => _panel?.FireAlarm ?? false;

    public override void Bind(LinkResolver links)
    {
        _pumps = links.One<IFirePumps>("pumps", "a fire pump controller");
        _panel = links.One<IFireAlarmSource>("panel", "a fire alarm panel");
    }

    protected override void Reset(DateTimeOffset localTime)
    {
        _pressure = Parameter("initialKpa");
        Publish(0);
    }

    public override void Step(in SimulationStep step)
    {
        var dt = step.Seconds;
        if (_pumps?.MainPumpRunning == true)
        {
            _pressure = Lag(_pressure, SprinklerFlowing ? 780 : 880, 3, dt);
        }
        else
        {
            var rate = -Parameter("decayKpaPerMinute") / 60;
            if (SprinklerFlowing)
            {
                rate -= 25;
            }

            if (_pumps?.JockeyPumpRunning == true)
            {
                rate += 4;
            }

            _pressure = Math.Max(0, _pressure + rate * dt);
        }

        Publish(1.0);
    }

    private void Publish(double noise)
    {
        Set("fireMainPressure", _pressure + Noise(noise));
        Set("sprinklerPressure", Math.Max(0, _pressure - Parameter("sprinklerOffsetKpa") + Noise(noise)));
    }
}
