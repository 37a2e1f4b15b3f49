using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Notifications;

/// <summary>
/// Signed webhooks: every notification of a tenant is POSTed as JSON to each of the tenant's enabled webhooks,
/// signed with that webhook's secret (<see cref="WebhookSignature"/>). Any 2xx is delivered; 408, 429 and 5xx and
/// network failures are retried; any other 4xx is a refusal.
/// </summary>
internal sealed class WebhookNotificationChannel(
    IDbContextFactory<EbaDbContext> contexts,
    IHttpClientFactory http,
    IOptions<NotificationOptions> options,
    TimeProvider clock) : INotificationChannel
{
    public const string ChannelName = "webhook";
    public const string HttpClientName = "webhooks";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => ChannelName;

    public async Task<IReadOnlyList<string>> AddressesAsync(NotificationRequest request, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<WebhookEndpoint>()
            .Where(w => w.TenantId == request.TenantId && w.Enabled)
            .OrderBy(w => w.Id)
            .Select(w => w.Url)
            .ToListAsync(ct);
    }

    public async Task SendAsync(NotificationMessage message, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var hook = await db.Set<WebhookEndpoint>().AsNoTracking()
            .FirstOrDefaultAsync(w => w.TenantId == message.TenantId && w.Url == message.Address && w.Enabled, ct)
            ?? throw new NotificationRejectedException("the webhook was removed or disabled before the notification was sent.");

        var o = options.Value;
        var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookPayload(
            message.DeliveryId, message.TenantId, message.RecipientUserId, message.Kind, message.Subject, message.Body,
            message.TicketId, NotificationLinks.Absolute(o.PublicBaseUrl, message.Link), message.Culture, message.CreatedUtc), Json);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();

        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(hook.Secret, timestamp, body));
        request.Headers.Add(WebhookSignature.DeliveryHeader, message.DeliveryId.ToString(CultureInfo.InvariantCulture));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.Webhooks.Timeout);
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var reason = $"the webhook answered {status} {response.ReasonPhrase}";
        throw status is >= 400 and < 500 and not 408 and not 429
            ? new NotificationRejectedException(reason)
            : new HttpRequestException(reason, null, response.StatusCode);
    }
}

/// <summary>The JSON a webhook receives (camelCase).</summary>
public sealed record WebhookPayload(
    long DeliveryId, string TenantId, string RecipientUserId, string Kind, string Subject, string Body,
    long? TicketId, string? Link, string Culture, DateTimeOffset CreatedUtc);

/// <summary>
/// How webhooks are signed, for receivers (docs/notifications.md): the header <c>X-PropertyEba-Signature</c> is
/// <c>sha256=</c> and the lower-case hex HMAC-SHA256, keyed with the webhook's secret (the base64 text's bytes as
/// decoded), of <c>{timestamp}.{body}</c>, where timestamp is the <c>X-PropertyEba-Timestamp</c> header (Unix
/// seconds). Binding the timestamp into the signature lets a receiver refuse a replayed request outside its window.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-PropertyEba-Signature";
    public const string TimestampHeader = "X-PropertyEba-Timestamp";
    public const string DeliveryHeader = "X-PropertyEba-Delivery";

    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(secret), signed));
    }

    /// <summary>
    /// A receiver's check: the signature matches (compared in constant time) and the timestamp is within
    /// <paramref name="window"/> of <paramref name="now"/> either way.
    /// </summary>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan window)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp) || signatureHeader is null)
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > window.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signatureHeader));
    }
}
