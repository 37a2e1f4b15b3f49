using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Analytics;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Commands;
using PropertyEba.Cloud.Dashboard;
using PropertyEba.Cloud.DemoEstate;
using PropertyEba.Cloud.Dispatch;
using PropertyEba.Cloud.Edges;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Identity;
using PropertyEba.Cloud.Ingestion;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Notifications;
using PropertyEba.Cloud.Overview;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Reports;
using PropertyEba.Cloud.SiteFiles;
using PropertyEba.Cloud.Startup;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Cloud.Tickets;
using Serilog;

LoggingSetup.UseBootstrapLogger();
try
{
    // The settings and assets ship beside the binary; a service started from another folder (a systemd unit
    // without WorkingDirectory, a shell elsewhere) must still read them. The data folder stays relative to the
    // working directory (docs/configuration.md).
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.WebHost.UseStaticWebAssets();
    builder.AddPropertyEbaLogging();

    builder.Services
        .AddServiceDefaults()
        .AddPersistence(builder.Configuration)
        .AddDomainEvents()
        .AddEbaIdentity(builder.Configuration)
        .AddTelemetry(builder.Configuration)
        .AddMessaging(builder.Configuration)
        .AddIngestion()
        .AddEdges()
        .AddCommands()
        .AddAssets()
        .AddSiteFiles()
        .AddOverview()
        .AddAnalytics()
        .AddAlarms()
        .AddTickets(builder.Configuration)
        .AddTicketsFromAlarms(builder.Configuration)
        .AddRealtime()
        .AddNotifications(builder.Configuration)
        .AddDispatch(builder.Configuration)
        .AddReports()
        .AddDashboard()
        .AddDemoEstate(builder.Configuration);

    var app = builder.Build();
    var log = app.Services.GetRequiredService<Serilog.ILogger>();
    app.UseSerilogRequestLogging(o => o.Logger = log);
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseChineseFirstLocalization();
    app.UseEbaIdentity();
    app.UseAntiforgery();

    app.MapServiceDefaults();
    app.MapAccountEndpoints();
    app.MapUserEndpoints();
    app.MapAuditEndpoints();
    app.MapIngestionEndpoints();
    app.MapEdgeEndpoints();
    app.MapCommandEndpoints();
    app.MapAssetEndpoints();
    app.MapSiteFileEndpoints();
    app.MapOverviewEndpoints();
    app.MapAnalyticsEndpoints();
    app.MapAlarmEndpoints();
    app.MapTicketEndpoints();
    app.MapDispatchEndpoints();
    app.MapReportEndpoints();
    app.MapNotificationEndpoints();
    app.MapDemoEstateEndpoints();
    app.MapRealtime();
    app.MapDashboard();

    app.Lifetime.ApplicationStarted.Register(() =>
        log.ForContext<Program>().Information("PropertyEba is running. Dashboard: {DashboardUrls} (Ctrl-C stops it)", string.Join(", ", app.Urls)));
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "PropertyEba failed to start: {Reason}", ex.Message);
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Public so tests can host the service with WebApplicationFactory.</summary>
public partial class Program;
