using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Persistence;
using Serilog;
using Serilog.Events;

namespace PropertyEba.Cloud.Startup;

public static class LoggingSetup
{
    /// <summary>The logger used until configuration is read, so start-up failures are logged too.</summary>
    public static void UseBootstrapLogger() =>
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateBootstrapLogger();

    /// <summary>Serilog from the <c>Serilog</c> section: console and a rolling file under the data folder by default.</summary>
    public static WebApplicationBuilder AddPropertyEbaLogging(this WebApplicationBuilder builder)
    {
        // The data folder is read when the logger is built, not now: configuration added later
        // (command line, environment, test hosts) must decide where the log files go.
        // Each host keeps its own logger (preserveStaticLogger): with the static one replaced, every host in a
        // process would write to the log of whichever host started last (several test hosts run side by side).
        builder.Services.AddSerilog(preserveStaticLogger: true, configureLogger: (services, lc) => lc
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.File(
                Path.Combine(services.GetRequiredService<IOptions<PersistenceOptions>>().Value.DataDirectory, "logs", "propertyeba-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture));
        return builder;
    }
}
