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
        services.AddHttpClient(WebPushNotificationChannel.HttpClientName);
        services.AddHttpClient(WebhookNotificationChannel.HttpClientName);
        services.AddSingleton<VapidKeys>();
        services.AddSingleton<NotificationSettings>();
        services.AddSingleton<INotificationChannel, HubNotificationChannel>();
        services.AddSingleton<INotificationChannel, EmailNotificationChannel>();
        services.AddSingleton<INotificationChannel, WebPushNotificationChannel>();
        services.AddSingleton<INotificationChannel, WebhookNotificationChannel>();
        services.AddSingleton<INotificationChannel, SmsNotificationChannel>();
        services.AddSingleton<DeliveryWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorker>());
        services.AddSingleton<INotifier, Notifier>();
        return services;
    }
}
