using Microsoft.Extensions.Hosting;

namespace PropertyEba.Edge;

/// <summary>Runs the host's <see cref="EdgeAgent"/> for the lifetime of the host.</summary>
internal sealed class EdgeAgentService(EdgeAgent agent) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => agent.RunAsync(stoppingToken);
}
