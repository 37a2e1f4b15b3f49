using PropertyEba.Cloud.Hosting;

namespace PropertyEba.Cloud.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="INotifier"/> and its channels (docs/notifications.md). Needs AddRealtime (the hub) and AddPersistence.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<NotificationOptions, NotificationOptionsValidator>(configuration, NotificationOptions.SectionName);
        services.AddSingleton<INotificationChannel, HubNotificationChannel>();
        services.AddSingleton<DeliveryWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorker>());
        services.AddSingleton<INotifier, Notifier>();
        return services;
    }
}
