using Microsoft.AspNetCore.SignalR;
using PropertyEba.Cloud.Realtime;

namespace PropertyEba.Cloud.Notifications;

/// <summary>
/// The live hub: a <c>notification</c> message to the recipient's own connections only (SignalR's user, the
/// signed-in user id), never to their tenant's group. Every request goes here; "delivered" means the hub took it —
/// a person with no page open simply does not see it, which is why the other channels exist.
/// </summary>
internal sealed class HubNotificationChannel(IHubContext<LiveHub> hub) : INotificationChannel
{
    public const string ChannelName = "hub";
    public const string Method = "notification";

    public string Name => ChannelName;

    public Task<IReadOnlyList<string>> AddressesAsync(NotificationRequest request, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>([request.RecipientUserId]);

    public Task SendAsync(NotificationMessage message, CancellationToken ct) =>
        hub.Clients.User(message.Address).SendAsync(Method, LiveNotification.Of(message), ct);
}

/// <summary>What the hub and Web Push carry to a page or service worker.</summary>
public sealed record LiveNotification(long Id, string Kind, string Subject, string Body, long? TicketId, string? Link, DateTimeOffset At)
{
    public static LiveNotification Of(NotificationMessage m) => new(m.DeliveryId, m.Kind, m.Subject, m.Body, m.TicketId, m.Link, m.CreatedUtc);
}
