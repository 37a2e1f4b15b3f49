namespace PropertyEba.Simulators.Devices;

/// <summary>One physics step: how much simulated time passed and what local time it is at the site.</summary>
/// <param name="Seconds">Simulated seconds since the previous step (at most a few seconds; longer spans are cut into steps).</param>
/// <param name="LocalTime">Simulated local time at the site, which drives the daily profiles.</param>
/// <param name="Environment">What the whole estate shares: mains, supply, daily demand.</param>
internal readonly record struct SimulationStep(double Seconds, DateTimeOffset LocalTime, EstateEnvironment Environment)
{
    public double Hours => Seconds / 3600.0;
}
