using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>The broker: embedded MQTTnet server by default, or the address of an external one.</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MqttOptions>().Bind(configuration.GetSection(MqttOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>();
        var endpoint = new BrokerEndpoint();
        services.AddSingleton(endpoint);
        var embedded = configuration.GetSection(MqttOptions.SectionName).GetValue(nameof(MqttOptions.EmbeddedBroker), true);
        if (embedded)
        {
            services.AddHostedService<EmbeddedMqttBroker>();
        }
        else
        {
            services.AddHostedService(sp => new ExternalBrokerAnnouncer(sp.GetRequiredService<IOptions<MqttOptions>>(), endpoint));
        }

        return services;
    }

    private sealed class ExternalBrokerAnnouncer(IOptions<MqttOptions> options, BrokerEndpoint endpoint) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            endpoint.SetReady(options.Value.Host, options.Value.Port);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
