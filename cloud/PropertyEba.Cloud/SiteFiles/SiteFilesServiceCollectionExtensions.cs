namespace PropertyEba.Cloud.SiteFiles;

public static class SiteFilesServiceCollectionExtensions
{
    public static IServiceCollection AddSiteFiles(this IServiceCollection services)
    {
        services.AddSingleton<SiteTransfer>();
        services.AddSingleton<EdgeEstateExport>();
        return services;
    }
}
