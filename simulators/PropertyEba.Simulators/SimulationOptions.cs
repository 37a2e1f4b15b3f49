namespace PropertyEba.Simulators;

/// <summary>How a simulated estate runs: its random seed, how fast simulated time passes and how often physics steps.</summary>
public sealed class SimulationOptions
{
    /// <summary>Seed of the noise generators; the same seed, speed and time source give the same values.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Time acceleration: simulated seconds per real second (1 = real time; 0.01..10000).</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>How often (in real time) the physics steps and the registers are refreshed (10 ms..60 s).</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Returns every problem with these options (empty when they are usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (double.IsNaN(Speed) || Speed < 0.01 || Speed > 10_000)
        {
            problems.Add($"SimulationOptions.Speed is {Speed}; allowed 0.01..10000 (simulated seconds per real second)");
        }

        if (TickInterval < TimeSpan.FromMilliseconds(10) || TickInterval > TimeSpan.FromSeconds(60))
        {
            problems.Add($"SimulationOptions.TickInterval is {TickInterval}; allowed 10 ms..60 s");
        }

        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, if any.</summary>
    public void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid simulation options: " + string.Join("; ", problems));
        }
    }
}
