using PropertyEba.Simulators.Devices;

namespace PropertyEba.Simulators.Physics;

/// <summary>
/// Advances an estate's devices through simulated time: reads back what masters wrote, steps every
/// device (in site-file order, each seeing its neighbours' last state), then publishes the registers.
/// Long spans are cut into steps of at most <see cref="MaxStepSeconds"/> so controllers keep up.
/// </summary>
internal sealed class PhysicsEngine
{
    /// <summary>The longest simulated step; longer spans are cut into several.</summary>
    public const double MaxStepSeconds = 2.0;

    private readonly IReadOnlyList<SimulatedDevice> _devices;
    private readonly EstateEnvironment _environment;
    private readonly TimeZoneInfo _timeZone;
    private readonly DateTimeOffset _startUtc;

    public PhysicsEngine(IReadOnlyList<SimulatedDevice> devices, EstateEnvironment environment, TimeZoneInfo timeZone, DateTimeOffset startUtc)
    {
        _devices = devices;
        _environment = environment;
        _timeZone = timeZone;
        _startUtc = startUtc;
    }

    /// <summary>Simulated time elapsed since the estate started.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>Simulated local time at the site now.</summary>
    public DateTimeOffset LocalTime => TimeZoneInfo.ConvertTime(_startUtc + Elapsed, _timeZone);

    /// <summary>Sets initial values of every device (before serving).</summary>
    public void Initialise()
    {
        _environment.Update();
        foreach (var d in _devices)
        {
            d.Initialise(LocalTime);
        }
    }

    /// <summary>Re-evaluates every device without advancing time, so a fault shows on the wire at once.</summary>
    public void Refresh()
    {
        _environment.Update();
        var step = new SimulationStep(0, LocalTime, _environment);
        foreach (var d in _devices)
        {
            d.PullWrites();
            d.Step(step);
            d.Publish();
        }
    }

    /// <summary>Advances by a span of simulated time.</summary>
    public void Advance(TimeSpan simulated)
    {
        var remaining = simulated.TotalSeconds;
        foreach (var d in _devices)
        {
            d.PullWrites();
        }

        while (remaining > 1e-9)
        {
            var dt = Math.Min(remaining, MaxStepSeconds);
            remaining -= dt;
            Elapsed += TimeSpan.FromSeconds(dt);
            _environment.Update();
            var step = new SimulationStep(dt, LocalTime, _environment);
            foreach (var d in _devices)
            {
                d.Step(step);
            }
        }

        foreach (var d in _devices)
        {
            d.Publish();
        }
    }
}
