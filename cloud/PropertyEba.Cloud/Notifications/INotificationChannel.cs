namespace PropertyEba.Cloud.Notifications;

/// <summary>
/// One way of reaching people (hub, e-mail, Web Push, webhook, SMS). The notifier asks each channel for the
/// addresses a request goes to — none when the recipient has not given one or turned the channel off — records one
/// delivery per address, and later asks the channel to send it, retrying with back-off while it fails.
/// </summary>
public interface INotificationChannel
{
    /// <summary>The channel's name as stored in <see cref="NotificationDelivery.Channel"/>: lower case, stable.</summary>
    string Name { get; }

    /// <summary>The addresses this request goes to on this channel (user id, e-mail address, subscription id, URL…).</summary>
    Task<IReadOnlyList<string>> AddressesAsync(NotificationRequest request, CancellationToken ct);

    /// <summary>
    /// Sends one delivery. Returns when the far side accepted it; throws when it did not — a
    /// <see cref="NotificationRejectedException"/> when trying again cannot help (the address is gone), any other
    /// exception for a failure worth retrying.
    /// </summary>
    Task SendAsync(NotificationMessage message, CancellationToken ct);
}

/// <summary>A delivery ready to send: the request's texts rendered in the recipient's culture.</summary>
public sealed record NotificationMessage(
    long DeliveryId,
    string TenantId,
    string RecipientUserId,
    string Address,
    string Kind,
    string Subject,
    string Body,
    long? TicketId,
    string? Link,
    string Culture,
    DateTimeOffset CreatedUtc);

/// <summary>The far side refused a delivery for good (unknown mailbox, expired push subscription): not retried.</summary>
public sealed class NotificationRejectedException(string message, Exception? inner = null) : Exception(message, inner);
