using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PropertyEba.Edge;

/// <summary>Registers the edge agent in a host.</summary>
public static class EdgeServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="EdgeOptions"/> from the <c>Edge</c> section and validates them when the host starts
    /// (every problem reported at once, device models checked against the profiles), and runs one
    /// <see cref="EdgeAgent"/> as a hosted service. The agent is also registered as a singleton, so a
    /// host can read its <see cref="EdgeAgent.Stats"/>.
    /// </summary>
    public static IServiceCollection AddEdgeAgent(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeviceProfileCatalog>();
        services.AddOptions<EdgeOptions>()
            .Bind(configuration.GetSection(EdgeOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdgeOptions>, EdgeOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EdgeOptions>>().Value;
            var profiles = sp.GetRequiredService<DeviceProfileCatalog>().GetProfiles(options.ProfilesDirectory);
            return new EdgeAgent(options, profiles, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddHostedService<EdgeAgentService>();
        services.AddHostedService<LocalPage.LocalPageService>();
        return services;
    }
}
