using PropertyEba.Cloud.Hosting;

namespace PropertyEba.Cloud.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>The broker: embedded MQTTnet server by default, or the address of an external one. Who may connect is
    /// decided by an <see cref="IBrokerAccessPolicy"/> (the Edges feature registers it).</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MqttOptions, MqttOptionsValidator>(configuration, MqttOptions.SectionName);
        services.AddSingleton<BrokerEndpoint>();
        services.AddSingleton<CloudMqttIdentity>();
        services.AddSingleton<EmbeddedMqttBroker>();
        services.AddSingleton<IBrokerSessions>(sp => sp.GetRequiredService<EmbeddedMqttBroker>());
        services.AddHostedService(sp => sp.GetRequiredService<EmbeddedMqttBroker>());
        services.AddSingleton<CloudPublisher>();
        services.AddSingleton<ICloudPublisher>(sp => sp.GetRequiredService<CloudPublisher>());
        return services;
    }
}
