using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PropertyEba.Edge.Tests.Infrastructure;

/// <summary>An <see cref="EdgeAgent"/> running in the background of a test; disposing stops it cleanly.</summary>
internal sealed class RunningAgent : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public RunningAgent(EdgeOptions options, ILoggerFactory? loggerFactory = null, IReadOnlyDictionary<string, Modbus.Profiles.DeviceProfile>? profiles = null)
    {
        Agent = new EdgeAgent(options, profiles ?? TestDevice.Profiles, TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance);
        Run = Agent.RunAsync(_stop.Token);
    }

    public EdgeAgent Agent { get; }

    public EdgeAgentStats Stats => Agent.Stats;

    public Task Run { get; }

    /// <summary>Cancels the agent and waits until it has published its offline status and stopped.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await StopAsync();
        }

        await Agent.DisposeAsync();
        _stop.Dispose();
    }
}
