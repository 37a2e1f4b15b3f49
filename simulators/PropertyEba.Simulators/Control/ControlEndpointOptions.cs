using System.Net;

namespace PropertyEba.Simulators.Control;

/// <summary>Where the HTTP control endpoint listens.</summary>
public sealed class ControlEndpointOptions
{
    /// <summary>Listen address; loopback by default, since the endpoint has no authentication.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the bad field.</summary>
    public void ThrowIfInvalid()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"ControlEndpointOptions.Port is {Port}; allowed 0..65535 (0 = a free port).");
        }
    }
}
