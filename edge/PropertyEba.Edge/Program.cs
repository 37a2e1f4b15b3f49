using Serilog;

namespace PropertyEba.Edge;

/// <summary>
/// The standalone edge agent (<c>dotnet run --project edge/PropertyEba.Edge</c>). An explicit entry
/// class rather than top-level statements: .NET 10 makes a top-level <c>Program</c> public, which
/// would collide with the cloud host's <c>Program</c> in every project that references both.
/// </summary>
internal static class EdgeProgram
{
    public static async Task<int> Main(string[] args)
    {
        // The bootstrap logger catches what goes wrong before the configuration is read (a bad appsettings.json).
        Log.Logger = new LoggerConfiguration()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateBootstrapLogger();

        try
        {
            // appsettings.json is read from beside the binaries, wherever the agent is started from; relative
            // data paths (Edge:BufferDirectory, the log files) are relative to the working directory.
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
            builder.Services.AddSerilog((services, logger) => logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext());
            builder.Services.AddEdgeAgent(builder.Configuration);

            using var host = builder.Build();
            await host.RunAsync();
            return Environment.ExitCode; // 1 when the agent failed (EdgeAgentService sets it)
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
    }
}
