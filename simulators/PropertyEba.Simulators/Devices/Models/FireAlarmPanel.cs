namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// Fire alarm control panel: fire alarm and panel fault come from faults (<c>fire-alarm</c>,
/// <c>fire-panel-fault</c>); the panel reports a mains power fault while the estate has no supply.
/// </summary>
internal sealed class FireAlarmPanel : SimulatedDevice, IFireAlarmSource
{
    public FireAlarmPanel(DeviceSetup setup)
        : base(setup)
    {
    }

    public bool FireAlarm => IsFaultActive("fire-alarm");

    protected override void Reset(DateTimeOffset localTime) => Step(new SimulationStep(0, localTime, Environment));

    public override void Step(in SimulationStep step)
    {
        var fault = IsFaultActive("fire-panel-fault");
        Set("fireAlarm", FireAlarm);
        Set("panelFault", fault || !step.Environment.SupplyAvailable);
        Set("supervisory", false);
        Set("silenced", false);
        Set("mainsPowerFault", !step.Environment.SupplyAvailable);
        Set("batteryFault", false);
        Set("fireAlarmCount", FireAlarm ? Parameter("alarmDevices") : 0);
        Set("faultCount", (fault ? Parameter("faultDevices") : 0) + (step.Environment.SupplyAvailable ? 0 : 1));
    }
}
