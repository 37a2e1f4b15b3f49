namespace PropertyEba.Cloud.Messaging;

/// <summary>
/// Where the MQTT broker actually is, known once it has started (the configured port may be 0).
/// Components that connect to the broker await <see cref="WhenReady"/>.
/// </summary>
public sealed class BrokerEndpoint
{
    private readonly TaskCompletionSource<(string Host, int Port)> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<(string Host, int Port)> WhenReady(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    public (string Host, int Port)? Current => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : null;

    internal void SetReady(string host, int port) => _ready.TrySetResult((host, port));
}
