using System.Text.Json.Serialization;

namespace PropertyEba.Modbus.Profiles;

/// <summary>How much a point matters when time or bandwidth is short (docs/profiles.md).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PointCriticality>))]
public enum PointCriticality
{
    /// <summary>An ordinary measurement or state (the default).</summary>
    [JsonStringEnumMemberName("normal")]
    Normal,

    /// <summary>A point operators watch closely (a tank level, a breaker); polled before normal points.</summary>
    [JsonStringEnumMemberName("high")]
    High,

    /// <summary>An alarm-relevant state (fire alarm, pump trip): polled first, a change is sent at once, timestamped at the edge.</summary>
    [JsonStringEnumMemberName("alarm")]
    Alarm,
}
