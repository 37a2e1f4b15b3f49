using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Notifications;

/// <summary>
/// Records a notification as one pending delivery per channel and address, in one transaction, then wakes the
/// <see cref="DeliveryWorker"/>. A channel that cannot say where to send (its store failed) is logged and skipped so
/// the others still go out.
/// </summary>
internal sealed partial class Notifier(
    IDbContextFactory<EbaDbContext> contexts,
    IEnumerable<INotificationChannel> channels,
    DeliveryWorker worker,
    TimeProvider clock,
    ILogger<Notifier> logger) : INotifier
{
    public async Task NotifyAsync(NotificationRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.TenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.RecipientUserId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Kind);

        var now = clock.GetUtcNow();
        var rows = new List<NotificationDelivery>();
        foreach (var channel in channels)
        {
            IReadOnlyList<string> addresses;
            try
            {
                addresses = await channel.AddressesAsync(request, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAddressesFailed(ex, channel.Name, request.Kind, request.RecipientUserId);
                continue;
            }

            rows.AddRange(addresses.Distinct(StringComparer.Ordinal).Select(address => new NotificationDelivery
            {
                TenantId = request.TenantId,
                RecipientUserId = request.RecipientUserId,
                Kind = request.Kind,
                Channel = channel.Name,
                Address = address,
                Subject = request.Subject,
                Body = request.Body,
                TicketId = request.TicketId,
                Link = request.Link,
                Outcome = DeliveryOutcome.Pending,
                CreatedUtc = now,
                NextAttemptUtc = now,
            }));
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Set<NotificationDelivery>().AddRange(rows);
        await db.SaveChangesAsync(ct);
        LogRecorded(request.Kind, request.RecipientUserId, rows.Count);
        worker.Wake();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} could not say where to send {Kind} for user {UserId}; the other channels still send it")]
    private partial void LogAddressesFailed(Exception ex, string channel, string kind, string userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notification {Kind} for user {UserId} recorded as {Deliveries} deliveries")]
    private partial void LogRecorded(string kind, string userId, int deliveries);
}
