using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>The broker: embedded MQTTnet server by default, or the address of an external one.</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MqttOptions>().Bind(configuration.GetSection(MqttOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>();
        services.AddSingleton<BrokerEndpoint>();
        services.AddHostedService<EmbeddedMqttBroker>();
        return services;
    }
}
