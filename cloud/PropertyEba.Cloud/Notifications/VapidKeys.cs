using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Notifications;

/// <summary>
/// The server's VAPID key pair (RFC 8292), by which push services know pushes come from the server that the browser
/// subscribed with. Generated at first use and kept in the database, so it survives restarts and every instance
/// shares it; a new pair would orphan every subscription, so it is never replaced here. Never shipped with the code.
/// </summary>
public sealed class VapidKeys(IDbContextFactory<EbaDbContext> contexts, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private VapidKeyPair? _pair;

    public async Task<VapidKeyPair> GetAsync(CancellationToken ct)
    {
        if (_pair is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_pair is { } loaded)
            {
                return loaded;
            }

            await using var db = await contexts.CreateDbContextAsync(ct);
            var pair = await db.Set<VapidKeyPair>().AsNoTracking().FirstOrDefaultAsync(k => k.Id == 1, ct);
            if (pair is null)
            {
                pair = Generate(clock.GetUtcNow());
                db.Set<VapidKeyPair>().Add(pair);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // Another instance stored its pair first: use that one.
                    await using var again = await contexts.CreateDbContextAsync(ct);
                    pair = await again.Set<VapidKeyPair>().AsNoTracking().FirstAsync(k => k.Id == 1, ct);
                }
            }

            return _pair = pair;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A P-256 pair: the public key as the uncompressed point, the private key as its scalar, both base64url.</summary>
    internal static VapidKeyPair Generate(DateTimeOffset now)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ecdsa.ExportParameters(includePrivateParameters: true);
        return new VapidKeyPair
        {
            Id = 1,
            PublicKey = Base64Url.Encode([0x04, .. p.Q.X!, .. p.Q.Y!]),
            PrivateKey = Base64Url.Encode(p.D!),
            CreatedUtc = now,
        };
    }
}

internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static byte[] Decode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
