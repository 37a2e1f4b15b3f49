namespace PropertyEba.Simulators.Devices.Models;

/// <summary>Municipal supply pressure at the estate's inlet: it sags when the district draws most (the daily demand peaks).</summary>
internal sealed class MunicipalInletPressure : SimulatedDevice
{
    private double _pressure;

    public MunicipalInletPressure(DeviceSetup setup)
        : base(setup)
    {
    }

    protected override void Reset(DateTimeOffset localTime)
    {
        _pressure = Target(localTime);
        Set("inletPressure", _pressure);
        Set("sensorFault", false);
    }

    public override void Step(in SimulationStep step)
    {
        _pressure = Lag(_pressure, Target(step.LocalTime), 60, step.Seconds);
        Set("inletPressure", _pressure + Noise(0.8));
        Set("sensorFault", false);
    }

    private double Target(DateTimeOffset localTime) =>
        Parameter("nominalKpa") - Parameter("dropAtPeakKpa") * EstateEnvironment.WaterDemandFactor(localTime);
}
