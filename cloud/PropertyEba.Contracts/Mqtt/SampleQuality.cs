using System.Text.Json.Serialization;

namespace PropertyEba.Contracts.Mqtt;

/// <summary>How far a sample's value can be trusted.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SampleQuality>))]
public enum SampleQuality
{
    /// <summary>Read successfully just now.</summary>
    [JsonStringEnumMemberName("good")]
    Good,

    /// <summary>A value exists but is doubtful (out of the sensor's range, last known value).</summary>
    [JsonStringEnumMemberName("uncertain")]
    Uncertain,

    /// <summary>No trustworthy value: the device did not answer or answered with an exception.</summary>
    [JsonStringEnumMemberName("bad")]
    Bad,
}
