namespace PropertyEba.Cloud.Telemetry;

/// <summary>Identifies one time series: a point of a device of a site of a tenant.</summary>
public readonly record struct SeriesKey(string TenantId, string SiteId, string DeviceId, string PointId)
{
    public override string ToString() => $"{TenantId}/{SiteId}/{DeviceId}/{PointId}";

    public static bool TryParse(string text, out SeriesKey key)
    {
        var parts = text.Split('/');
        key = parts.Length == 4 ? new SeriesKey(parts[0], parts[1], parts[2], parts[3]) : default;
        return parts.Length == 4;
    }
}

/// <summary>A stored sample of one series.</summary>
public readonly record struct StoredSample(long TimestampUtcMs, double? Value, byte Quality);

/// <summary>One sample of one series, as a batch hands it to the store.</summary>
public readonly record struct SeriesSample(SeriesKey Key, StoredSample Sample);
