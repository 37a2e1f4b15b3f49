using System.Text.Json.Serialization;

namespace PropertyEba.Modbus.Profiles;

/// <summary>What a point means to the people watching it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PointKind>))]
public enum PointKind
{
    /// <summary>A measured quantity: voltage, pressure, level, temperature.</summary>
    [JsonStringEnumMemberName("analog")]
    Analog,

    /// <summary>A two-or-more-valued state: running, fault, breaker closed, fire alarm.</summary>
    [JsonStringEnumMemberName("state")]
    State,

    /// <summary>A monotonic total: kWh, m³, run hours.</summary>
    [JsonStringEnumMemberName("counter")]
    Counter,

    /// <summary>A writable output: fan on/off.</summary>
    [JsonStringEnumMemberName("command")]
    Command,
}
