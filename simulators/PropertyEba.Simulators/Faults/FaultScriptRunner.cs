using PropertyEba.Simulators.Estates;

namespace PropertyEba.Simulators.Faults;

/// <summary>Plays a timed fault script against simulated time: each step fires once, when its time has come.</summary>
internal sealed class FaultScriptRunner
{
    private readonly FaultScriptStep[] _steps;
    private int _next;

    public FaultScriptRunner(IEnumerable<FaultScriptStep> steps) => _steps = [.. steps.OrderBy(s => s.At)];

    /// <summary>The steps whose time has come since the last call, in order.</summary>
    public IEnumerable<FaultScriptStep> Due(TimeSpan elapsed)
    {
        while (_next < _steps.Length && _steps[_next].At <= elapsed)
        {
            yield return _steps[_next++];
        }
    }
}
