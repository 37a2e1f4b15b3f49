namespace PropertyEba.Simulators.Devices.Models;

/// <summary>
/// CO2 extinguishing control panel: cylinder pressure follows the room temperature through the day;
/// the zone alarm follows a linked fire panel. Fault <c>co2-panel-fault</c> sets the panel fault bit.
/// </summary>
internal sealed class Co2Panel : SimulatedDevice
{
    private IFireAlarmSource? _panel;

    public Co2Panel(DeviceSetup setup)
        : base(setup)
    {
    }

    public override void Bind(LinkResolver links) => _panel = links.One<IFireAlarmSource>("panel", "a fire alarm panel");

    protected override void Reset(DateTimeOffset localTime) => Step(new SimulationStep(0, localTime, Environment));

    public override void Step(in SimulationStep step)
    {
        var hour = step.LocalTime.TimeOfDay.TotalHours;
        var pressure = Parameter("cylinderPressureMPa") + 0.05 * Math.Sin((hour - 9) / 24 * 2 * Math.PI);
        Set("panelFault", IsFaultActive("co2-panel-fault"));
        Set("zoneAlarm", _panel?.FireAlarm ?? false);
        Set("discharged", false);
        Set("manualMode", false);
        Set("cylinderPressure", pressure + Noise(0.004));
    }
}
