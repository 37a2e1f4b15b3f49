using Microsoft.Extensions.Logging;
using PropertyEba.Modbus.Profiles;
using PropertyEba.Simulators.Estates;

namespace PropertyEba.Simulators.Hosting;

/// <summary>
/// Scale mode: many copies of one estate in one process, for load tests. Each copy answers behind
/// its own TCP port as a Modbus gateway (devices told apart by unit ids 1..n), with its own seed.
/// </summary>
public sealed class EstateFarm : IAsyncDisposable
{
    private readonly List<SimulatedEstate> _estates;

    private EstateFarm(List<SimulatedEstate> estates) => _estates = estates;

    /// <summary>The running estates, named <c>{template}-001</c>, <c>{template}-002</c>, ...</summary>
    public IReadOnlyList<SimulatedEstate> Estates => _estates;

    /// <summary>Devices served in all.</summary>
    public int DeviceCount => _estates.Sum(e => e.Devices.Count);

    /// <summary>The estate definitions scale mode serves for a template (gateway on a free port, unit ids 1..n).</summary>
    public static IReadOnlyList<EstateDefinition> Copies(EstateDefinition template, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (template.Devices.Count > 247)
        {
            throw new ArgumentException($"Estate {template.Name} has {template.Devices.Count} devices; a gateway serves at most 247 unit ids.");
        }

        var devices = template.Devices.Select((d, i) => d with { UnitId = i + 1, Port = 0 }).ToList();
        return [.. Enumerable.Range(1, count).Select(i => template with
        {
            Name = $"{template.Name}-{i:000}",
            Gateway = new GatewayDefinition { Port = 0 },
            Devices = devices,
            Script = null,
        })];
    }

    /// <summary>Starts <paramref name="count"/> copies of the template; estate i uses seed <c>options.Seed + i</c>.</summary>
    public static async Task<EstateFarm> StartAsync(EstateDefinition template, int count, IReadOnlyDictionary<string, DeviceProfile> profiles, SimulationOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var estates = new List<SimulatedEstate>();
        var farm = new EstateFarm(estates);
        try
        {
            var i = 0;
            foreach (var definition in Copies(template, count))
            {
                var seeded = new SimulationOptions { Seed = options.Seed + i++, Speed = options.Speed, TickInterval = options.TickInterval };
                estates.Add(await SimulatedEstate.StartAsync(definition, profiles, seeded, timeProvider, loggerFactory, cancellationToken));
            }

            return farm;
        }
        catch
        {
            await farm.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var e in _estates)
        {
            await e.DisposeAsync();
        }

        _estates.Clear();
    }
}
