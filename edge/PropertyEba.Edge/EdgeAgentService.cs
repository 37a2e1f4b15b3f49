using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PropertyEba.Edge;

/// <summary>Runs the host's <see cref="EdgeAgent"/> for the lifetime of the host.</summary>
internal sealed partial class EdgeAgentService(EdgeAgent agent, ILogger<EdgeAgentService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await agent.RunAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The host stops when a background service fails; a non-zero exit code tells systemd (or whoever) why.
            LogFailed(ex);
            Environment.ExitCode = 1;
            throw;
        }
    }

    [LoggerMessage(1900, LogLevel.Critical, "The edge agent failed and stops")]
    private partial void LogFailed(Exception exception);
}
