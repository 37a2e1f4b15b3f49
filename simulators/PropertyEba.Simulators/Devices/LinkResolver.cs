namespace PropertyEba.Simulators.Devices;

/// <summary>Resolves a device's links (from the site file) to the devices they name, collecting every problem.</summary>
internal sealed class LinkResolver
{
    private readonly string _deviceId;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _links;
    private readonly IReadOnlyDictionary<string, SimulatedDevice> _devices;
    private readonly List<string> _problems;

    public LinkResolver(string deviceId, IReadOnlyDictionary<string, IReadOnlyList<string>>? links, IReadOnlyDictionary<string, SimulatedDevice> devices, List<string> problems)
    {
        _deviceId = deviceId;
        _links = links ?? new Dictionary<string, IReadOnlyList<string>>();
        _devices = devices;
        _problems = problems;
    }

    /// <summary>All devices named by the link, each checked to be a <typeparamref name="T"/>.</summary>
    public IReadOnlyList<T> Many<T>(string link, string whatItMustBe)
        where T : class
    {
        if (!_links.TryGetValue(link, out var ids))
        {
            return [];
        }

        var found = new List<T>();
        foreach (var id in ids)
        {
            if (!_devices.TryGetValue(id, out var device))
            {
                _problems.Add($"device '{_deviceId}': link '{link}' names '{id}', which is not a device of this estate");
            }
            else if (device is T t)
            {
                found.Add(t);
            }
            else
            {
                _problems.Add($"device '{_deviceId}': link '{link}' names '{id}' ({device.Model}), which is not {whatItMustBe}");
            }
        }

        return found;
    }

    /// <summary>The one device named by the link, or null when the link is absent.</summary>
    public T? One<T>(string link, string whatItMustBe)
        where T : class
    {
        var many = Many<T>(link, whatItMustBe);
        if (many.Count > 1)
        {
            _problems.Add($"device '{_deviceId}': link '{link}' names {many.Count} devices; it takes one");
        }

        return many.Count > 0 ? many[0] : null;
    }
}
