namespace PropertyEba.Cloud.Notifications;

/// <summary>A person's own notification settings, as read and written by the phone page.</summary>
public sealed record NotificationPreferencesDto(string Culture, string? Email, bool EmailEnabled, bool PushEnabled, string? SmsNumber, bool SmsEnabled, int PushSubscriptions);

/// <summary>What the phone page PUTs (all fields; the subscription count is not written).</summary>
public sealed record NotificationPreferencesRequest(string? Culture, string? Email, bool EmailEnabled, bool PushEnabled, string? SmsNumber, bool SmsEnabled);

/// <summary>A browser's PushSubscription.toJSON(): the endpoint and its keys.</summary>
public sealed record PushSubscriptionRequest(string? Endpoint, PushSubscriptionKeys? Keys);

public sealed record PushSubscriptionKeys(string? P256dh, string? Auth);

/// <summary>The server's VAPID public key, the applicationServerKey of pushManager.subscribe.</summary>
public sealed record PushKeyDto(string PublicKey);

public sealed record WebhookRequest(string? Url);

/// <summary>A webhook; <see cref="Secret"/> only in the answer to its creation (it is not shown again).</summary>
public sealed record WebhookDto(long Id, string Url, bool Enabled, DateTimeOffset CreatedUtc, string? Secret);

/// <summary>One delivery record: a notification on one channel and what became of it.</summary>
public sealed record NotificationDeliveryDto(
    long Id, string RecipientUserId, string Kind, string Channel, string Address, string Subject, long? TicketId,
    string Outcome, string? Error, int Attempts, DateTimeOffset CreatedUtc, DateTimeOffset? NextAttemptUtc, DateTimeOffset? DeliveredUtc);
