using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PropertyEba.Cloud.Edges;

/// <summary>
/// Edge secrets and their hashes in mosquitto's own format (<c>mosquitto_passwd</c>, sha512-pbkdf2):
/// <c>$7$iterations$base64(salt)$base64(hash)</c>, so the one stored hash serves the embedded broker and an external
/// mosquitto's <c>password_file</c> alike.
/// </summary>
public static class EdgeSecretHasher
{
    // The secrets are 256 random bits, not passwords a person chose: no dictionary to slow down, so the iteration count
    // only has to be what mosquitto accepts, and a CONNECT stays cheap. (mosquitto_passwd uses 101 by default.)
    private const int Iterations = 1_000;
    private const int SaltBytes = 12;
    private const int HashBytes = 64;

    /// <summary>A new secret: 32 random bytes, base64url (43 characters, nothing to escape in a config file).</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"$7${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether <paramref name="secret"/> matches <paramref name="stored"/>; false for any malformed hash.</summary>
    public static bool Verify(string? secret, string stored)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return false;
        }

        var parts = stored.Split('$');
        if (parts is not ["", "7", var iterationText, var saltText, var hashText]
            || !int.TryParse(iterationText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1 or > 10_000_000)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(saltText);
            var expected = Convert.FromBase64String(hashText);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
