using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Edge.Remote;

/// <summary>
/// What the edge reports about remote configuration in its status: the version it runs (null while it runs only its
/// local configuration) and the latest desired one it refused. Written by <see cref="RemoteControl"/>, read by the uplink.
/// </summary>
internal sealed class AppliedConfig
{
    private volatile State _state = new(null, null, null);

    public string? Version => _state.Version;

    public ConfigRejection? Rejection => _state.Rejection;

    /// <summary>The payload of the applied version, to recognise the same configuration when the retained message comes again.</summary>
    public byte[]? Payload => _state.Payload;

    public void Applied(string version, byte[] payload) => _state = new State(version, null, payload);

    public void Rejected(ConfigRejection rejection) => _state = _state with { Rejection = rejection };

    private sealed record State(string? Version, ConfigRejection? Rejection, byte[]? Payload);
}
