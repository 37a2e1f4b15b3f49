namespace PropertyEba.Modbus.Profiles;

/// <summary>
/// An equipment model's register map: the points a device of this model exposes and how each is
/// encoded. Kept as data (one JSON file per model under <c>edge/profiles/</c>) and used both by the
/// edge agent, to read the device, and by the simulators, to impersonate it.
/// </summary>
public sealed record DeviceProfile
{
    /// <summary>Model id, unique across profiles, e.g. <c>pump-set-duplex</c>.</summary>
    public required string Model { get; init; }

    /// <summary>English description of the model.</summary>
    public required string Name { get; init; }

    /// <summary>Chinese description (zh-CN).</summary>
    public string? NameZh { get; init; }

    /// <summary>Maker, as on the nameplate.</summary>
    public string? Manufacturer { get; init; }

    /// <summary>Equipment category: <c>power</c> (供配电), <c>water</c> (给排水) or <c>fire</c> (消防).</summary>
    public required string System { get; init; }

    /// <summary>
    /// Read every point on its own instead of merging neighbours into one read: for devices whose firmware refuses
    /// any read that touches an unmapped register (or more than one point).
    /// </summary>
    public bool PerPointReads { get; init; }

    /// <summary>The points, in register-map order.</summary>
    public required IReadOnlyList<PointDefinition> Points { get; init; }

    /// <summary>Finds a point by id, or null.</summary>
    public PointDefinition? FindPoint(string pointId)
    {
        foreach (var p in Points)
        {
            if (p.Id == pointId)
            {
                return p;
            }
        }

        return null;
    }
}
