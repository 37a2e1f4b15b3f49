using PropertyEba.Edge.Configuration;
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
        // Command-line verbs: tools for the installer that never start the agent.
        if (args.Length > 0 && args[0] == "check-config")
        {
            return CheckConfigCommand.Run(args[1..], Console.Out);
        }

        if (args.Length > 0 && args[0] == "import-register-map")
        {
            return await Configuration.Import.ImportRegisterMapCommand.RunAsync(args[1..], Console.Out, CancellationToken.None);
        }

        // The bootstrap logger catches what goes wrong before the configuration is read (a bad appsettings.json).
        Log.Logger = new LoggerConfiguration()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateBootstrapLogger();

        try
        {
            var (estateFile, hostArgs, argError) = EstateFileArguments.Extract(args);
            if (argError is not null)
            {
                await Console.Error.WriteLineAsync(argError);
                return 2;
            }

            // appsettings.json is read from beside the binaries, wherever the agent is started from; relative
            // data paths (Edge:BufferDirectory, the log files) are relative to the working directory.
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = hostArgs, ContentRootPath = AppContext.BaseDirectory });
            if (estateFile is not null)
            {
                // The estate file is checked as check-config checks it, every problem printed, before anything starts.
                var json = await File.ReadAllTextAsync(estateFile);
                var check = new EdgeConfigurationValidator(new DeviceProfileCatalog()).ValidateFile(estateFile);
                if (!check.IsValid)
                {
                    CheckConfigCommand.Print(check, estateFile, Console.Error);
                    return 1;
                }

                // The file's edge section replaces the shipped one wholesale (no example device merges in), and
                // --Edge:... arguments still override single values after it.
                var fromFile = EdgeConfigurationValidator.ToConfigurationKeys(check.Options!, json).ToList();
                builder.Configuration.AddInMemoryCollection(fromFile);
                builder.Configuration.AddCommandLine(hostArgs);
            }

            EdgeLogging.Configure(builder.Services, builder.Configuration);
            builder.Services.AddEdgeAgent(builder.Configuration);
            builder.Services.AddHostedService<Deployment.SystemdNotifier>(); // idle unless started by systemd

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
