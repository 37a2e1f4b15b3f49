using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PropertyEba.Cloud.Notifications;
using Base64Url = System.Buffers.Text.Base64Url;
using PushSubscription = PropertyEba.Cloud.Notifications.PushSubscription;

namespace PropertyEba.Cloud.Tests.Notifications;

/// <summary>
/// Web Push against a real HTTP server on loopback acting as the push service: the test plays the browser (its own
/// P-256 key and auth secret, as pushManager.subscribe makes), checks the VAPID authorization as a push service
/// does, and decrypts the payload as the browser would (RFC 8291).
/// </summary>
public sealed class WebPushChannelTests
{
    private const string VapidSubject = "mailto:ops@example.com";

    [Fact]
    public async Task A_push_carries_a_VAPID_token_signed_by_the_stored_key_and_a_payload_only_the_browser_can_decrypt()
    {
        await using var pushService = await LoopbackReceiver.StartAsync();
        await using var store = new NotificationTestStore(o => o.WebPush.Subject = VapidSubject);
        await store.StartAsync();
        using var browser = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var auth = RandomNumberGenerator.GetBytes(16);
        var endpoint = $"{pushService.BaseUrl}/push/device-1";
        await SubscribeAsync(store, browser, auth, endpoint);

        await store.Notifier.NotifyAsync(NotificationTestStore.TicketAssigned(42), CancellationToken.None);
        await store.SendDueAsync();

        var request = pushService.Requests.ShouldHaveSingleItem();
        request.Path.ShouldBe("/push/device-1");
        var serverKey = (await store.Services.GetRequiredService<VapidKeys>().GetAsync(CancellationToken.None)).PublicKey;
        CheckVapid(request.Header("Authorization").ShouldNotBeNull(), serverKey, pushService.BaseUrl);
        request.Header("Content-Encoding").ShouldBe("aes128gcm");
        request.Header("TTL").ShouldBe("3600");
        request.Header("Urgency").ShouldBe("high");

        using var payload = JsonDocument.Parse(Decrypt(request.Body, browser, auth));
        payload.RootElement.GetProperty("kind").GetString().ShouldBe("ticket.assigned");
        payload.RootElement.GetProperty("ticketId").GetInt64().ShouldBe(42);
        payload.RootElement.GetProperty("subject").GetString().ShouldBe("Ticket T-0042 assigned");
        (await store.DeliveriesAsync(WebPushNotificationChannel.ChannelName)).ShouldHaveSingleItem().Outcome.ShouldBe(DeliveryOutcome.Delivered);
    }

    [Fact]
    public async Task The_VAPID_key_pair_is_generated_once_and_kept_across_restarts()
    {
        await using var store = new NotificationTestStore(_ => { });
        await store.StartAsync();
        var first = await store.Services.GetRequiredService<VapidKeys>().GetAsync(CancellationToken.None);

        // A second key store over the same database, as after a restart.
        var again = await new VapidKeys(store.Services.GetRequiredService<IDbContextFactory<Cloud.Persistence.EbaDbContext>>(), TimeProvider.System).GetAsync(CancellationToken.None);

        again.PublicKey.ShouldBe(first.PublicKey);
        again.PrivateKey.ShouldBe(first.PrivateKey);
        Base64Url.DecodeFromChars(first.PublicKey).Length.ShouldBe(65);
        Base64Url.DecodeFromChars(first.PrivateKey).Length.ShouldBe(32);
    }

    [Fact]
    public async Task A_subscription_the_push_service_says_is_gone_is_deleted_and_the_delivery_not_retried()
    {
        await using var pushService = await LoopbackReceiver.StartAsync();
        pushService.Respond = _ => 410;
        await using var store = new NotificationTestStore(_ => { });
        await store.StartAsync();
        using var browser = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        await SubscribeAsync(store, browser, RandomNumberGenerator.GetBytes(16), $"{pushService.BaseUrl}/push/old-phone");

        await store.Notifier.NotifyAsync(NotificationTestStore.TicketAssigned(), CancellationToken.None);
        await store.SendDueAsync();

        var delivery = (await store.DeliveriesAsync(WebPushNotificationChannel.ChannelName)).ShouldHaveSingleItem();
        delivery.Outcome.ShouldBe(DeliveryOutcome.Failed);
        delivery.Attempts.ShouldBe(1);
        await using var db = await store.NewContextAsync();
        (await db.Set<PushSubscription>().CountAsync()).ShouldBe(0);
    }

    private static async Task SubscribeAsync(NotificationTestStore store, ECDiffieHellman browser, byte[] auth, string endpoint)
    {
        var q = browser.ExportParameters(false).Q;
        var (saved, _, problem) = await store.Services.GetRequiredService<NotificationSettings>().SubscribeAsync(
            NotificationTestStore.Tenant, NotificationTestStore.User,
            new PushSubscriptionRequest(endpoint, new PushSubscriptionKeys(Base64Url.EncodeToString([0x04, .. q.X!, .. q.Y!]), Base64Url.EncodeToString(auth))),
            CancellationToken.None);
        saved.ShouldBeTrue(problem);
    }

    /// <summary>RFC 8292: <c>vapid t=&lt;ES256 JWT&gt;, k=&lt;public key&gt;</c>, the JWT's audience the push service's origin.</summary>
    private static void CheckVapid(string authorization, string serverKey, string origin)
    {
        authorization.ShouldStartWith("vapid ");
        var parts = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .ToDictionary(p => p[..p.IndexOf('=')], p => p[(p.IndexOf('=') + 1)..]);
        parts["k"].ShouldBe(serverKey);
        var jwt = parts["t"].Split('.');
        jwt.Length.ShouldBe(3);
        var point = Base64Url.DecodeFromChars(serverKey);
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..65] } });
        ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{jwt[0]}.{jwt[1]}"), Base64Url.DecodeFromChars(jwt[2]), HashAlgorithmName.SHA256)
            .ShouldBeTrue("the JWT is signed by the server's VAPID private key");
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt[0]));
        header.RootElement.GetProperty("alg").GetString().ShouldBe("ES256");
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt[1]));
        // The audience is the push service's origin; Lib.Net.Http.WebPush leaves out a non-default port (real push
        // services listen on 443, where the origin has none), so compare scheme and host.
        var audience = new Uri(origin);
        claims.RootElement.GetProperty("aud").GetString().ShouldBe($"{audience.Scheme}://{audience.Host}");
        claims.RootElement.GetProperty("sub").GetString().ShouldBe(VapidSubject);
        DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64()).ShouldBeGreaterThan(DateTimeOffset.UtcNow);
    }

    /// <summary>What the browser does with an aes128gcm push (RFC 8188 framing, RFC 8291 key derivation).</summary>
    private static string Decrypt(byte[] body, ECDiffieHellman browser, byte[] auth)
    {
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        recordSize.ShouldBeGreaterThan(0u);
        int idLength = body[20];
        idLength.ShouldBe(65, "the key id is the server's ephemeral P-256 public key");
        var serverPublic = body[21..(21 + idLength)];
        var ciphertext = body[(21 + idLength)..];

        using var server = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = serverPublic[1..33], Y = serverPublic[33..65] } });
        var secret = browser.DeriveRawSecretAgreement(server.PublicKey);
        var q = browser.ExportParameters(false).Q;
        byte[] browserPublic = [0x04, .. q.X!, .. q.Y!];
        var prkKey = HMACSHA256.HashData(auth.AsSpan(), secret);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. browserPublic, .. serverPublic, 0x01];
        var ikm = HMACSHA256.HashData(prkKey, keyInfo);
        var prk = HMACSHA256.HashData(salt, ikm);
        byte[] cekInfo = [.. "Content-Encoding: aes128gcm\0"u8, 0x01];
        byte[] nonceInfo = [.. "Content-Encoding: nonce\0"u8, 0x01];
        var cek = HMACSHA256.HashData(prk, cekInfo)[..16];
        var nonce = HMACSHA256.HashData(prk, nonceInfo)[..12];

        var plain = new byte[ciphertext.Length - 16];
        using var aes = new AesGcm(cek, 16);
        aes.Decrypt(nonce, ciphertext[..^16], ciphertext[^16..], plain);
        var end = plain.Length - 1;
        while (end >= 0 && plain[end] == 0)
        {
            end--;
        }

        plain[end].ShouldBe((byte)0x02, "the last record ends with the 0x02 delimiter");
        return Encoding.UTF8.GetString(plain, 0, end);
    }
}
