using System.Net;

namespace PropertyEba.Edge.LocalPage;

/// <summary>The installer's local page (section <c>Edge:LocalPage</c>).</summary>
public sealed class LocalPageOptions
{
    /// <summary>Whether the agent serves the page.</summary>
    public bool Enabled { get; set; }

    /// <summary>Address to listen on: loopback (the default) needs no password; any other address requires <see cref="Password"/>.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>TCP port (0: any free port, for tests).</summary>
    public int Port { get; set; } = 8480;

    /// <summary>Password for HTTP Basic authentication (any user name); required when <see cref="Address"/> is not loopback. No default.</summary>
    public string? Password { get; set; }

    /// <summary>Whether <see cref="Address"/> is a loopback address (or <c>localhost</c>).</summary>
    public bool IsLoopback => string.Equals(Address, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Address, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Every problem of these options, each naming the setting under <paramref name="section"/>.</summary>
    public static IEnumerable<string> Validate(LocalPageOptions? options, string section)
    {
        if (options is null || !options.Enabled)
        {
            yield break;
        }

        if (!string.Equals(options.Address, "localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(options.Address, out _))
        {
            yield return $"{section}:Address = '{options.Address}': give an IP address (127.0.0.1 for this machine only, 0.0.0.0 for every interface) or localhost";
        }
        else if (!options.IsLoopback && string.IsNullOrEmpty(options.Password))
        {
            yield return $"{section}:Password is empty but {section}:Address = '{options.Address}' is reachable from the network: set a password (there is no default), or listen on 127.0.0.1";
        }

        if (options.Password is { Length: > 0 and < 8 })
        {
            yield return $"{section}:Password is {options.Password.Length} characters: give at least 8";
        }

        if (options.Port is < 0 or > 65535)
        {
            yield return $"{section}:Port = {options.Port}: allowed 0..65535";
        }
    }
}
