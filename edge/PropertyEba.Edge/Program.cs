using PropertyEba.Edge;
using Serilog;

// The bootstrap logger catches what goes wrong before the configuration is read (a bad appsettings.json).
Log.Logger = new LoggerConfiguration()
    .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
    .CreateBootstrapLogger();

try
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.Services.AddSerilog((services, logger) => logger
        .ReadFrom.Configuration(builder.Configuration)
        .ReadFrom.Services(services)
        .Enrich.FromLogContext());
    builder.Services.AddEdgeAgent(builder.Configuration);

    using var host = builder.Build();
    await host.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    Log.Fatal(ex, "The edge agent stopped on an error");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>The standalone edge agent (<c>dotnet run --project edge/PropertyEba.Edge</c>).</summary>
public partial class Program;
