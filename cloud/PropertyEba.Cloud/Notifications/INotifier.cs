using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Notifications;

/// <summary>
/// Tells one person something (a ticket assigned to them, an escalation) on every channel they can be reached on:
/// the live hub always, e-mail, Web Push and SMS where they gave an address, and the tenant's webhooks. Returns once
/// the notification is recorded (one <see cref="NotificationDelivery"/> row per channel and address); the sending,
/// with retries, happens in the background, so a slow mail server never holds up a ticket transition.
/// </summary>
public interface INotifier
{
    Task NotifyAsync(NotificationRequest request, CancellationToken ct);
}

/// <summary>
/// What to tell whom. <paramref name="Kind"/> is a short machine name (<c>ticket.assigned</c>,
/// <c>ticket.escalated</c>) that webhooks and the phone page switch on; <paramref name="Subject"/> and
/// <paramref name="Body"/> are catalogue texts, rendered in the recipient's language when sent.
/// <paramref name="Link"/> is a path inside the dashboard (<c>/technician</c>) or null.
/// </summary>
public sealed record NotificationRequest(
    string TenantId,
    string RecipientUserId,
    string Kind,
    LocalizedText Subject,
    LocalizedText Body,
    long? TicketId,
    string? Link);
