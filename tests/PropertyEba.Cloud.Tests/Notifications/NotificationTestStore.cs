using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PropertyEba.Cloud.Notifications;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tests.Persistence;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Tests.Notifications;

/// <summary>
/// The notifier and its channels over a real SQLite store, on a fake clock, with the delivery worker driven by the
/// test (<see cref="SendDueAsync"/>) so each attempt and retry is seen.
/// </summary>
internal sealed class NotificationTestStore : IAsyncDisposable
{
    public const string Tenant = "demo";
    public const string User = "user-zhang";

    private readonly TempStore _store;

    public NotificationTestStore(Action<NotificationOptions> configure, Action<IServiceCollection>? add = null)
    {
        _store = new TempStore((s, c) =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            s.AddRealtime();
            s.AddNotifications(c);
            s.Configure(configure);
            add?.Invoke(s);
        });
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));

    public IServiceProvider Services => _store.Services;

    public INotifier Notifier => Services.GetRequiredService<INotifier>();

    public async Task StartAsync() => await _store.StartDatabaseAsync();

    public Task<int> SendDueAsync() => Services.GetRequiredService<DeliveryWorker>().SendDueAsync(CancellationToken.None);

    public async Task SetPreferencesAsync(NotificationPreferencesRequest request)
    {
        var (saved, _, problem) = await Services.GetRequiredService<NotificationSettings>().SetPreferencesAsync(Tenant, User, request, CancellationToken.None);
        saved.ShouldNotBeNull(problem);
    }

    public async Task<List<NotificationDelivery>> DeliveriesAsync(string channel)
    {
        await using var db = await _store.NewContextAsync();
        return await db.Set<NotificationDelivery>().AsNoTracking().Where(d => d.Channel == channel).OrderBy(d => d.Id).ToListAsync();
    }

    public Task<EbaDbContext> NewContextAsync() => _store.NewContextAsync();

    public static NotificationRequest TicketAssigned(long ticketId = 42) => new(
        Tenant, User, "ticket.assigned",
        MessageCatalog.Typed("Ticket T-0042 assigned"),
        MessageCatalog.Typed("No. 2 domestic pump tripped — on site within 15 min"),
        ticketId, "/technician");

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
