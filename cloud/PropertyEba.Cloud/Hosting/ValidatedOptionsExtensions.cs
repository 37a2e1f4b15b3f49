using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Hosting;

public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Binds an options class from its configuration section and checks it at start-up with a
    /// validator that reports every mistake at once, so a bad setting stops the service before it
    /// serves anything instead of failing later when the setting is first read.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(sectionName)).ValidateOnStart();
    }
}
