using Microsoft.AspNetCore.Components.Server.Circuits;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Dashboard;
using PropertyEba.Dashboard.Services;
using Radzen;

namespace PropertyEba.Cloud.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddRadzenComponents();

        // One of each per dashboard session: what it shows depends on who signed in.
        services.AddScoped<CircuitCaller>();
        services.AddScoped(sp =>
        {
            var session = new DashboardSession();
            DashboardSessions.Fill(session, sp.GetRequiredService<CircuitCaller>().Caller);
            return session;
        });
        services.AddScoped<CircuitHandler, CallerCircuitHandler>();
        services.AddScoped<IDashboardQueries, DashboardQueries>();
        services.AddScoped<ITechnicianWork, TechnicianWork>();
        services.AddScoped<IDashboardAdministration, DashboardAdministration>();
        services.AddScoped<ILiveFeed, CallerLiveFeed>();
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
