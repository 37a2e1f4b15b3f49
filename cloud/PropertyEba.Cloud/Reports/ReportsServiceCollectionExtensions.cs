namespace PropertyEba.Cloud.Reports;

public static class ReportsServiceCollectionExtensions
{
    public static IServiceCollection AddReports(this IServiceCollection services) => services.AddSingleton<ReportQueries>();
}
