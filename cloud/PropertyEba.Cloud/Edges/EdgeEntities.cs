using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Edges;

/// <summary>
/// An edge allowed to connect to the broker: the site it belongs to, its MQTT client id (also its user name) and the
/// hash of its secret (mosquitto's sha512-pbkdf2 format, <see cref="EdgeSecretHasher"/>); the secret itself is
/// shown once, when issued, and never stored.
/// </summary>
public sealed class ProvisionedEdge : ISiteOwned
{
    public long Id { get; set; }

    public required string TenantId { get; set; }

    public required string SiteId { get; set; }

    public required string EdgeId { get; set; }

    /// <summary>Unique across tenants: the broker knows the edge by it before it knows anything else.</summary>
    public required string ClientId { get; set; }

    public required string SecretHash { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTimeOffset CreatedUtc { get; set; }

    public DateTimeOffset SecretIssuedUtc { get; set; }
}
