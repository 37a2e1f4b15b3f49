using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Identity;

namespace PropertyEba.Cloud.DemoEstate;

public static class DemoEstateServiceCollectionExtensions
{
    public static IServiceCollection AddDemoEstate(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DemoEstateOptions, DemoEstateOptionsValidator>(configuration, DemoEstateOptions.SectionName);
        services.AddSingleton<DemoEstateRuntime>();

        // The demo has no configured operator: it generates one, and its people, and prints their sign-ins.
        services.AddOptions<EbaIdentityOptions>().PostConfigure<IOptions<DemoEstateOptions>>((identity, demo) => identity.GenerateMissingPlatformOperator |= demo.Value.Enabled);
        services.AddHostedService<DemoSignInSeeder>();
        services.AddHostedService<DemoEstateService>();

        return services;
    }
}
