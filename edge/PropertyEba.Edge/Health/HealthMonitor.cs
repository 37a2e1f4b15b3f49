using System.Collections.Immutable;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Polling;

namespace PropertyEba.Edge.Health;

/// <summary>
/// Assembles <see cref="EdgeHealth"/> snapshots from the running pollers, their connections and the process. Cheap
/// enough to call on every status publish and every refresh of the local page.
/// </summary>
internal sealed class HealthMonitor(TimeProvider time)
{
    private readonly ProcessSampler _process = new(time);
    private volatile Snapshot _state = new([], ImmutableDictionary<string, BusTimeEstimate>.Empty);

    /// <summary>The pollers of the running agent (empty before it runs and after it stopped).</summary>
    public ImmutableArray<DevicePoller> Pollers => _state.Pollers;

    /// <summary>Called by the agent when its pollers start (and with none when it stops).</summary>
    public void Attach(ImmutableArray<DevicePoller> pollers, ImmutableDictionary<string, BusTimeEstimate> busEstimates) =>
        _state = new Snapshot(pollers, busEstimates);

    public EdgeHealth Take()
    {
        var state = _state;
        var ports = new List<PortHealth>();
        foreach (var connection in state.Pollers.Select(p => p.Connection).Distinct())
        {
            state.BusEstimates.TryGetValue(connection.Description, out var estimate);
            ports.Add(connection.Stats.Fill(new PortHealth
            {
                Port = connection.Description,
                Reconnects = connection.Reconnects,
                BusUtilisation = estimate is null ? null : Math.Round(estimate.Utilisation, 3),
                PollingFits = estimate?.Fits,
            }));
        }

        return new EdgeHealth
        {
            TimestampUtcMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Ports = ports,
            Devices = [.. state.Pollers.Select(p => p.Health())],
            Process = _process.Sample(),
        };
    }

    private sealed record Snapshot(ImmutableArray<DevicePoller> Pollers, ImmutableDictionary<string, BusTimeEstimate> BusEstimates);
}
