namespace PropertyEba.Cloud.Messaging;

/// <summary>What a connected client is, decided once at CONNECT and kept with its session.</summary>
public enum BrokerClientKind
{
    /// <summary>The cloud's own connection (its ingestion client of an external broker): may read and write everything.</summary>
    Cloud,

    /// <summary>A provisioned edge: writes under its own topics, reads its own <c>config</c> and <c>cmd</c>.</summary>
    Edge,

    /// <summary>A client the cloud does not know: connected so that it can be seen and adopted, but allowed nothing.</summary>
    Unprovisioned,
}

/// <summary>A connected client: its client id and, for an edge, the tenant, site and edge its credentials belong to.</summary>
public sealed record BrokerClient(string ClientId, BrokerClientKind Kind, string? TenantId = null, string? SiteId = null, string? EdgeId = null);

/// <summary>Why a CONNECT is refused; the broker answers with the matching MQTT reason code.</summary>
public enum ConnectRefusal
{
    /// <summary>Wrong or missing password for the client (reason code 0x86; 3.1.1: return code 4).</summary>
    BadUserNameOrPassword,

    /// <summary>The client id belongs to another client: the cloud or another edge (0x85; 3.1.1: return code 2).</summary>
    ClientIdentifierNotValid,

    /// <summary>Known but not allowed now: a disabled edge (0x87; 3.1.1: return code 5).</summary>
    NotAuthorized,
}

/// <summary>What a client offered at CONNECT.</summary>
public sealed record BrokerConnect(string ClientId, string? UserName, string? Password, string? Endpoint);

/// <summary>Accepted as <see cref="Client"/>, or refused for <see cref="Refusal"/> with a reason that is logged (never sent).</summary>
public sealed record ConnectDecision(BrokerClient? Client, ConnectRefusal Refusal = ConnectRefusal.NotAuthorized, string? Reason = null)
{
    public static ConnectDecision Accept(BrokerClient client) => new(client);

    public static ConnectDecision Refuse(ConnectRefusal refusal, string reason) => new(null, refusal, reason);
}

/// <summary>
/// Who may connect to the embedded broker, and what each client may publish and subscribe to. The broker asks before
/// anything else happens to a CONNECT, a PUBLISH (the last will included) or a SUBSCRIBE.
/// </summary>
public interface IBrokerAccessPolicy
{
    ValueTask<ConnectDecision> AuthenticateAsync(BrokerConnect connect, CancellationToken cancellationToken);

    /// <summary>Null when <paramref name="client"/> may publish on <paramref name="topic"/>; else why not (the policy counts and logs the denial).</summary>
    string? AuthorizePublish(BrokerClient client, string topic);

    /// <summary>Null when <paramref name="client"/> may subscribe to <paramref name="topicFilter"/>; else why not.</summary>
    string? AuthorizeSubscribe(BrokerClient client, string topicFilter);
}

/// <summary>Ends the session of a connected client, so a disabled edge or a rotated secret takes effect at once.</summary>
public interface IBrokerSessions
{
    Task DisconnectAsync(string clientId, CancellationToken cancellationToken);
}
