using System.Text.Json.Serialization;

namespace PropertyEba.Modbus.Profiles;

/// <summary>How much a point matters; the bus polls devices with more critical points first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PointCriticality>))]
public enum PointCriticality
{
    /// <summary>Informative (run hours, serial numbers).</summary>
    [JsonStringEnumMemberName("low")]
    Low,

    /// <summary>Ordinary telemetry (meters, levels).</summary>
    [JsonStringEnumMemberName("normal")]
    Normal,

    /// <summary>Equipment faults that need attention soon (pump trip, breaker trip).</summary>
    [JsonStringEnumMemberName("high")]
    High,

    /// <summary>Life safety (fire alarm, fire pump running).</summary>
    [JsonStringEnumMemberName("critical")]
    Critical,
}
