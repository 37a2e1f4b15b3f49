using PropertyEba.Simulators;

namespace PropertyEba.Cloud.DemoEstate;

/// <summary>The running demo estate, once started; the fault endpoints act on it.</summary>
public sealed class DemoEstateRuntime
{
    private readonly TaskCompletionSource<SimulatedEstate> _estate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SimulatedEstate? Estate => _estate.Task.IsCompletedSuccessfully ? _estate.Task.Result : null;

    public Task<SimulatedEstate> WhenStarted(CancellationToken cancellationToken) => _estate.Task.WaitAsync(cancellationToken);

    internal void Started(SimulatedEstate estate) => _estate.TrySetResult(estate);
}
