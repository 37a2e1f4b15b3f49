using System.Runtime.InteropServices;
using PropertyEba.Simulators.Cli;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace PropertyEba.Simulators;

/// <summary>
/// The simulators' command line. An explicit entry class rather than top-level statements: .NET 10
/// makes a top-level <c>Program</c> public, which would collide with the cloud host's <c>Program</c>
/// in every project that references both.
/// </summary>
internal static class SimulatorsProgram
{
    public static async Task<int> Main(string[] args)
    {
        // Logs go to stderr so that stdout carries only the lines scripts read (device endpoints, probe results).
        Serilog.Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
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
            using var loggerFactory = new SerilogLoggerFactory(Serilog.Log.Logger);
            Console.Out.Flush();
            return await new SimulatorCli(Console.Out, loggerFactory).RunAsync(args, stopping.Token);
        }
        finally
        {
            await Serilog.Log.CloseAndFlushAsync();
        }
    }
}
