using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;

namespace PropertyEba.Edge.Configuration;

/// <summary>
/// Configures Serilog in code rather than with <c>ReadFrom.Configuration</c>: that finds its sinks by
/// reflection over assembly names, which a trimmed self-contained build removes, so the agent failed at
/// start. The few settings an installer changes are still read from configuration:
/// <c>Serilog:MinimumLevel:Default</c>, <c>Serilog:MinimumLevel:Override:&lt;namespace&gt;</c>,
/// <c>Serilog:File:Path</c> (empty: no log file) and <c>Serilog:File:RetainedFileCountLimit</c>.
/// </summary>
public static class EdgeLogging
{
    /// <summary>The log file path unless configured; relative to the working directory.</summary>
    public const string DefaultFilePath = "data/logs/edge-.log";

    /// <summary>Registers Serilog, configured from <paramref name="configuration"/>, as the host's logger.</summary>
    public static void Configure(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSerilog((sp, logger) => Apply(logger, configuration).Enrich.FromLogContext());
    }

    /// <summary>Applies the levels and sinks to a logger configuration.</summary>
    public static LoggerConfiguration Apply(LoggerConfiguration logger, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Serilog");
        logger.MinimumLevel.Is(Level(section["MinimumLevel:Default"], LogEventLevel.Information));
        foreach (var o in section.GetSection("MinimumLevel:Override").GetChildren())
        {
            logger.MinimumLevel.Override(o.Key, Level(o.Value, LogEventLevel.Information));
        }

        logger.WriteTo.Console(
            outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
            formatProvider: CultureInfo.InvariantCulture);
        var path = section["File:Path"] ?? DefaultFilePath;
        if (!string.IsNullOrWhiteSpace(path))
        {
            var retained = int.TryParse(section["File:RetainedFileCountLimit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 14;
            logger.WriteTo.File(
                path,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: retained,
                fileSizeLimitBytes: 50L * 1024 * 1024,
                rollOnFileSizeLimit: true,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}",
                formatProvider: CultureInfo.InvariantCulture);
        }

        return logger;
    }

    private static LogEventLevel Level(string? text, LogEventLevel fallback) =>
        Enum.TryParse<LogEventLevel>(text, ignoreCase: true, out var level) ? level : fallback;
}
