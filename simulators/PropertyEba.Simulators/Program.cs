using System.Globalization;
using System.Runtime.InteropServices;
using PropertyEba.Simulators.Cli;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace PropertyEba.Simulators;

/// <summary>The command line entry point (namespaced, so hosts that reference this project keep their own <c>Program</c>).</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Logs go to stderr so that stdout carries only the lines scripts read (device endpoints, probe results).
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: CultureInfo.InvariantCulture)
            .CreateLogger();

        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stopping.Cancel();
        });

        try
        {
            using var loggerFactory = new SerilogLoggerFactory(Log.Logger);
            return await new SimulatorCli(Console.Out, Console.Error, loggerFactory).RunAsync(args, stopping.Token);
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }
}
