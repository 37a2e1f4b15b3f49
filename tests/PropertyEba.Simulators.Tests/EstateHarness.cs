using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace PropertyEba.Simulators.Tests;

/// <summary>
/// An estate on a fake clock: physics moves only when a test advances time, one simulated second per
/// tick. The Modbus slaves still answer in real time, so every value is observed over the wire.
/// </summary>
public sealed class EstateHarness : IAsyncDisposable
{
    /// <summary>2026-06-01 00:00 UTC = 08:00 in Asia/Shanghai, the morning demand peak.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, PointReader> _readers = new();

    private EstateHarness(SimulatedEstate estate, FakeTimeProvider time)
    {
        Estate = estate;
        Time = time;
    }

    public SimulatedEstate Estate { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<EstateHarness> StartAsync(string estate, int seed = 42, DateTimeOffset? start = null)
    {
        var time = new FakeTimeProvider(start ?? Start);
        var options = new SimulationOptions { Seed = seed, TickInterval = TimeSpan.FromSeconds(1) };
        var running = await SimulatedEstate.StartAsync(estate, options, time, NullLoggerFactory.Instance, CancellationToken.None);
        return new EstateHarness(running, time);
    }

    public void Advance(TimeSpan span) => Time.Advance(span);

    public PointReader Device(string deviceId)
    {
        if (!_readers.TryGetValue(deviceId, out var reader))
        {
            _readers[deviceId] = reader = new PointReader(Estate, deviceId);
        }

        return reader;
    }

    public Task<double> ReadAsync(string deviceId, string pointId) => Device(deviceId).ReadAsync(pointId);

    public async ValueTask DisposeAsync()
    {
        foreach (var r in _readers.Values)
        {
            await r.DisposeAsync();
        }

        await Estate.DisposeAsync();
    }
}
