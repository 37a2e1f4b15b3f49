using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Notifications;

/// <summary>
/// Sends the pending deliveries that are due, oldest first, each through its channel; records the outcome of every
/// attempt. A failure is retried with doubling back-off (<see cref="NotificationOptions.RetryDelay"/>) until
/// <see cref="NotificationOptions.MaxAttempts"/>; a refusal (<see cref="NotificationRejectedException"/>) or the last
/// failed attempt marks the delivery failed, counted and logged. Woken right after a notification is recorded, and
/// polling as a fallback (deliveries left pending by a restart, retries falling due).
/// </summary>
internal sealed partial class DeliveryWorker(
    IDbContextFactory<EbaDbContext> contexts,
    IEnumerable<INotificationChannel> channels,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private const int BatchSize = 50;
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, INotificationChannel> _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);
    private long _delivered;
    private long _failed;

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Asks for a pass now; a burst of wake-ups during a pass makes one more pass, not one each.</summary>
    public void Wake() => Volatile.Read(ref _signal).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Swapped in before the pass, so a wake-up during the pass is not lost.
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _signal, signal);
            try
            {
                while (await SendDueAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(ex);
            }

            try
            {
                await signal.Task.WaitAsync(options.Value.PollInterval, clock, stoppingToken);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One pass over the due deliveries; returns how many it tried.</summary>
    internal async Task<int> SendDueAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var due = await db.Set<NotificationDelivery>()
            .Where(d => d.Outcome == DeliveryOutcome.Pending && d.NextAttemptUtc <= now)
            .OrderBy(d => d.Id)
            .Take(BatchSize)
            .ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }

        var cultures = await CulturesAsync(db, due, ct);
        foreach (var delivery in due)
        {
            delivery.Attempts++;
            try
            {
                if (!_channels.TryGetValue(delivery.Channel, out var channel))
                {
                    throw new NotificationRejectedException($"channel '{delivery.Channel}' is not configured on this server.");
                }

                var culture = cultures.GetValueOrDefault((delivery.TenantId, delivery.RecipientUserId), "zh-CN");
                await channel.SendAsync(MessageOf(delivery, culture), ct);
                delivery.Outcome = DeliveryOutcome.Delivered;
                delivery.DeliveredUtc = clock.GetUtcNow();
                delivery.NextAttemptUtc = null;
                delivery.Error = null;
                Interlocked.Increment(ref _delivered);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                delivery.Error = Truncate($"{ex.GetType().Name}: {ex.Message}", 2000);
                if (ex is NotificationRejectedException || delivery.Attempts >= o.MaxAttempts)
                {
                    delivery.Outcome = DeliveryOutcome.Failed;
                    delivery.NextAttemptUtc = null;
                    Interlocked.Increment(ref _failed);
                    LogGaveUp(delivery.Id, delivery.Channel, delivery.Kind, delivery.Attempts, ex.Message);
                }
                else
                {
                    delivery.NextAttemptUtc = clock.GetUtcNow() + o.RetryDelay(delivery.Attempts);
                    LogWillRetry(delivery.Id, delivery.Channel, delivery.Attempts, delivery.NextAttemptUtc.Value, ex.Message);
                }
            }

            // Saved per delivery: a crash after a send must not send the ones before it again.
            await db.SaveChangesAsync(CancellationToken.None);
        }

        return due.Count;
    }

    private static async Task<Dictionary<(string, string), string>> CulturesAsync(EbaDbContext db, List<NotificationDelivery> due, CancellationToken ct)
    {
        var users = due.Select(d => d.RecipientUserId).Distinct().ToList();
        var prefs = await db.Set<NotificationPreference>().Where(p => users.Contains(p.UserId)).Select(p => new { p.TenantId, p.UserId, p.Culture }).ToListAsync(ct);
        return prefs.ToDictionary(p => (p.TenantId, p.UserId), p => p.Culture);
    }

    private static NotificationMessage MessageOf(NotificationDelivery d, string culture)
    {
        var c = CultureInfo.GetCultureInfo(culture);
        return new NotificationMessage(d.Id, d.TenantId, d.RecipientUserId, d.Address, d.Kind,
            MessageCatalog.Render(d.Subject, c), MessageCatalog.Render(d.Body, c), d.TicketId, d.Link, culture, d.CreatedUtc);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification delivery {DeliveryId} on {Channel} failed (attempt {Attempts}); next attempt at {NextAttempt}: {Reason}")]
    private partial void LogWillRetry(long deliveryId, string channel, int attempts, DateTimeOffset nextAttempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification delivery {DeliveryId} ({Kind}) on {Channel} failed for good after {Attempts} attempts: {Reason}")]
    private partial void LogGaveUp(long deliveryId, string channel, string kind, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass over pending notification deliveries failed; the next pass retries")]
    private partial void LogPassFailed(Exception ex);
}
