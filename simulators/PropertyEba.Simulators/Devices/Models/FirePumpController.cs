namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Fire pump panel: the jockey pump keeps the fire main between its start and stop pressures; the
/// main pump starts when the main falls below <c>mainStartKpa</c> (sprinklers flowing) and stays on
/// until the flow stops. Fault <c>fire-pump-fault</c>: the main pump fails and the standby pump runs instead.
/// </summary>
internal sealed class FirePumpController : SimulatedDevice, IFirePumps, IElectricalLoad
{
    private FirePressureMonitor? _pressure;
    private bool _jockey;
    private bool _mainCalled;
    private int _jockeyStarts;

    public FirePumpController(DeviceSetup setup)
        : base(setup)
    {
    }

    public bool MainPumpRunning { get; private set; }

    public bool JockeyPumpRunning => _jockey;

    public double PowerKw { get; private set; }

    public override void Bind(LinkResolver links) => _pressure = links.One<FirePressureMonitor>("pressure", "a fire pressure monitor");

    protected override void Reset(DateTimeOffset localTime)
    {
        // The pressure monitor may not be initialised yet, so start from a quiet, healthy panel.
        foreach (var id in (string[])["mainPumpRunning", "standbyPumpRunning", "pumpFault", "jockeyPumpRunning"])
        {
            Set(id, false);
        }

        Set("autoMode", true);
        Set("powerAvailable", true);
        Set("jockeyStarts", 0);
    }

    public override void Step(in SimulationStep step)
    {
        var supplied = step.Environment.SupplyAvailable;
        var p = _pressure?.FireMainPressureKpa ?? Parameter("jockeyStopKpa");
        if (p < Parameter("jockeyStartKpa") && !_jockey)
        {
            _jockey = true;
            _jockeyStarts++;
        }
        else if (p > Parameter("jockeyStopKpa"))
        {
            _jockey = false;
        }

        if (p < Parameter("mainStartKpa"))
        {
            _mainCalled = true;
        }
        else if (_pressure is { SprinklerFlowing: false } && p > Parameter("jockeyStopKpa"))
        {
            _mainCalled = false;
        }

        var fault = IsFaultActive("fire-pump-fault");
        var main = _mainCalled && supplied && !fault;
        var standby = _mainCalled && supplied && fault;
        MainPumpRunning = main || standby;
        var jockey = _jockey && supplied && !MainPumpRunning;
        PowerKw = (MainPumpRunning ? Parameter("mainPumpKw") : 0) + (jockey ? Parameter("jockeyPumpKw") : 0);
        Set("mainPumpRunning", main);
        Set("standbyPumpRunning", standby);
        Set("pumpFault", fault);
        Set("autoMode", true);
        Set("powerAvailable", supplied);
        Set("jockeyPumpRunning", jockey);
        Set("jockeyStarts", _jockeyStarts);
    }
}
