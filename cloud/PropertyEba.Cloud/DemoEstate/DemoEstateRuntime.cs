using PropertyEba.Simulators;

namespace PropertyEba.Cloud.DemoEstate;

/// <summary>The running demo estate, once started; the fault endpoints act on it.</summary>
public sealed class DemoEstateRuntime
{
    private readonly TaskCompletionSource<SimulatedEstate> _estate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SimulatedEstate? Estate => _estate.Task.IsCompletedSuccessfully ? _estate.Task.Result : null;

    public Task<SimulatedEstate> WhenStarted(CancellationToken cancellationToken) => _estate.Task.WaitAsync(cancellationToken);

    /// <summary>The credentials the cloud issued to the demo's own edge agent this run (the cloud runs that agent itself).</summary>
    public Contracts.Api.EdgeCredentialsDto? EdgeCredentials { get; private set; }

    internal void Started(SimulatedEstate estate, Contracts.Api.EdgeCredentialsDto edgeCredentials)
    {
        EdgeCredentials = edgeCredentials;
        _estate.TrySetResult(estate);
    }
}
