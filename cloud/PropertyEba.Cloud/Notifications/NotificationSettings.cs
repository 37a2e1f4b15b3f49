using System.Net.Mail;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Notifications;

/// <summary>
/// Reads and writes the per-tenant notification settings: a person's own preferences and push subscriptions, the
/// tenant's webhooks, and the delivery records. Every method is called on behalf of a caller, whose context
/// filters rows to their tenant; the tenant id is written from the route, which the group checked.
/// </summary>
public sealed partial class NotificationSettings(IDbContextFactory<EbaDbContext> contexts, TimeProvider clock)
{
    public static readonly string[] Cultures = ["zh-CN", "en"];

    public async Task<NotificationPreferencesDto> GetPreferencesAsync(string tenantId, string userId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var p = await db.Set<NotificationPreference>().AsNoTracking().FirstOrDefaultAsync(p => p.TenantId == tenantId && p.UserId == userId, ct);
        var subscriptions = await db.Set<PushSubscription>().CountAsync(s => s.TenantId == tenantId && s.UserId == userId, ct);
        return p is null
            ? new NotificationPreferencesDto("zh-CN", null, false, false, null, false, subscriptions)
            : new NotificationPreferencesDto(p.Culture, p.Email, p.EmailEnabled, p.PushEnabled, p.SmsNumber, p.SmsEnabled, subscriptions);
    }

    /// <summary>Validates and stores; returns the problem (field, what is allowed) instead when the request is bad.</summary>
    public async Task<(NotificationPreferencesDto? Saved, string? Field, string? Problem)> SetPreferencesAsync(
        string tenantId, string userId, NotificationPreferencesRequest request, CancellationToken ct)
    {
        var culture = request.Culture ?? "zh-CN";
        if (!Cultures.Contains(culture, StringComparer.Ordinal))
        {
            return (null, "culture", $"'{culture}' is not a supported language; allowed: {string.Join(", ", Cultures)}.");
        }

        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        if (email is not null && (email.Length > 256 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email))
        {
            return (null, "email", $"'{email}' is not an e-mail address such as zhang.wei@example.com (at most 256 characters).");
        }

        if (request.EmailEnabled && email is null)
        {
            return (null, "email", "e-mail is turned on but no address is given; give one or turn e-mail off.");
        }

        var sms = string.IsNullOrWhiteSpace(request.SmsNumber) ? null : request.SmsNumber.Trim();
        if (sms is not null && !E164().IsMatch(sms))
        {
            return (null, "smsNumber", $"'{sms}' is not an international number such as +8613800138000 (+, country code, up to 15 digits).");
        }

        if (request.SmsEnabled && sms is null)
        {
            return (null, "smsNumber", "SMS is turned on but no number is given; give one or turn SMS off.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var p = await db.Set<NotificationPreference>().FirstOrDefaultAsync(p => p.TenantId == tenantId && p.UserId == userId, ct);
        if (p is null)
        {
            p = new NotificationPreference { TenantId = tenantId, UserId = userId };
            db.Add(p);
        }

        p.Culture = culture;
        p.Email = email;
        p.EmailEnabled = request.EmailEnabled;
        p.PushEnabled = request.PushEnabled;
        p.SmsNumber = sms;
        p.SmsEnabled = request.SmsEnabled;
        p.UpdatedUtc = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return (await GetPreferencesAsync(tenantId, userId, ct), null, null);
    }

    /// <summary>Stores a browser's subscription for the caller (replacing that browser's earlier one) and turns push on.</summary>
    public async Task<(bool Saved, string? Field, string? Problem)> SubscribeAsync(string tenantId, string userId, PushSubscriptionRequest request, CancellationToken ct)
    {
        if (!Uri.TryCreate(request.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http") || request.Endpoint!.Length > 1024)
        {
            return (false, "endpoint", "'endpoint' must be the absolute push service URL of the browser's subscription (at most 1024 characters).");
        }

        if (!IsBase64Url(request.Keys?.P256dh, 65, 65))
        {
            return (false, "keys.p256dh", "'keys.p256dh' must be the browser's P-256 public key: 65 bytes, base64url.");
        }

        if (!IsBase64Url(request.Keys?.Auth, 16, 16))
        {
            return (false, "keys.auth", "'keys.auth' must be the subscription's 16-byte authentication secret, base64url.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        // Unique by endpoint across tenants: the same browser signed in as someone else now belongs to them. The
        // filtered context cannot see another tenant's row, so look without the tenant filter for this one key.
        var existing = await db.Set<PushSubscription>().IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Endpoint == request.Endpoint, ct);
        if (existing is not null)
        {
            db.Remove(existing);
        }

        db.Add(new PushSubscription
        {
            TenantId = tenantId,
            UserId = userId,
            Endpoint = request.Endpoint!,
            P256dh = request.Keys!.P256dh!,
            Auth = request.Keys.Auth!,
            CreatedUtc = clock.GetUtcNow(),
        });
        var p = await db.Set<NotificationPreference>().FirstOrDefaultAsync(p => p.TenantId == tenantId && p.UserId == userId, ct);
        if (p is null)
        {
            db.Add(new NotificationPreference { TenantId = tenantId, UserId = userId, PushEnabled = true, UpdatedUtc = clock.GetUtcNow() });
        }
        else
        {
            p.PushEnabled = true;
        }

        await db.SaveChangesAsync(ct);
        return (true, null, null);
    }

    public async Task<bool> UnsubscribeAsync(string tenantId, string userId, string endpoint, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<PushSubscription>().Where(s => s.TenantId == tenantId && s.UserId == userId && s.Endpoint == endpoint).ExecuteDeleteAsync(ct) > 0;
    }

    public async Task<IReadOnlyList<WebhookDto>> ListWebhooksAsync(string tenantId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var hooks = await db.Set<WebhookEndpoint>().AsNoTracking().Where(w => w.TenantId == tenantId).OrderBy(w => w.Id).ToListAsync(ct);
        return [.. hooks.Select(w => new WebhookDto(w.Id, w.Url, w.Enabled, w.CreatedUtc, Secret: null))];
    }

    public async Task<(WebhookDto? Created, string? Problem)> AddWebhookAsync(string tenantId, WebhookRequest request, CancellationToken ct)
    {
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || request.Url!.Length > 1024)
        {
            return (null, "'url' must be an absolute http or https URL (at most 1024 characters) that accepts POST.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var hook = new WebhookEndpoint { TenantId = tenantId, Url = request.Url!, Secret = WebhookSignature.NewSecret(), CreatedUtc = clock.GetUtcNow() };
        db.Add(hook);
        await db.SaveChangesAsync(ct);
        return (new WebhookDto(hook.Id, hook.Url, hook.Enabled, hook.CreatedUtc, hook.Secret), null);
    }

    public async Task<bool> RemoveWebhookAsync(string tenantId, long id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<WebhookEndpoint>().Where(w => w.TenantId == tenantId && w.Id == id).ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>Delivery records, newest first; for one recipient or ticket when given.</summary>
    public async Task<IReadOnlyList<NotificationDeliveryDto>> ListDeliveriesAsync(string tenantId, string? userId, long? ticketId, string? channel, int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var q = db.Set<NotificationDelivery>().AsNoTracking().Where(d => d.TenantId == tenantId);
        if (userId is not null)
        {
            q = q.Where(d => d.RecipientUserId == userId);
        }

        if (ticketId is not null)
        {
            q = q.Where(d => d.TicketId == ticketId);
        }

        if (channel is not null)
        {
            q = q.Where(d => d.Channel == channel);
        }

        var rows = await q.OrderByDescending(d => d.Id).Take(limit).ToListAsync(ct);
        return [.. rows.Select(d => new NotificationDeliveryDto(d.Id, d.RecipientUserId, d.Kind, d.Channel, d.Address, MessageCatalog.Render(d.Subject),
            d.TicketId, d.Outcome.ToString(), d.Error, d.Attempts, d.CreatedUtc, d.NextAttemptUtc, d.DeliveredUtc))];
    }

    private static bool IsBase64Url(string? text, int minBytes, int maxBytes)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 200)
        {
            return false;
        }

        try
        {
            var n = Base64Url.Decode(text.TrimEnd('=')).Length;
            return n >= minBytes && n <= maxBytes;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}
