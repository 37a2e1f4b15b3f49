using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Messaging;

/// <summary>
/// The credentials of the cloud's own broker connection: <c>Mqtt:Username</c>/<c>Mqtt:Password</c> when configured,
/// else a user name of its own and a password generated at start, never printed nor stored in clear (the mosquitto
/// password file holds only its hash). No other client may connect with this client id or user name.
/// </summary>
public sealed class CloudMqttIdentity
{
    public const string DefaultUsername = "propertyeba-cloud";

    public CloudMqttIdentity(IOptions<MqttOptions> options)
    {
        var o = options.Value;
        ClientId = o.ClientId;
        Username = string.IsNullOrEmpty(o.Username) ? DefaultUsername : o.Username;
        Password = string.IsNullOrEmpty(o.Password) ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : o.Password;
    }

    public string ClientId { get; }

    public string Username { get; }

    public string Password { get; }

    /// <summary>Whether the password is the cloud's, compared in fixed time.</summary>
    public bool IsPassword(string? password) =>
        password is not null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(password), System.Text.Encoding.UTF8.GetBytes(Password));
}
