using PropertyEba.Cloud.Hosting;

namespace PropertyEba.Cloud.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>The broker: embedded MQTTnet server by default, or the address of an external one.</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MqttOptions, MqttOptionsValidator>(configuration, MqttOptions.SectionName);
        services.AddSingleton<BrokerEndpoint>();
        services.AddHostedService<EmbeddedMqttBroker>();
        return services;
    }
}
