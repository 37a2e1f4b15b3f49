using System.Text.Json.Serialization;

namespace PropertyEba.Contracts.Mqtt;

/// <summary>How far a sample's value can be trusted.</summary>
[JsonConverter(typeof(SampleQualityJsonConverter))]
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

    /// <summary>
    /// The device missed a read (one failed poll cycle, not yet declared lost): the value, if present, is the last one
    /// read, re-sent marked as old, never as fresh.
    /// </summary>
    [JsonStringEnumMemberName("stale")]
    Stale,

    /// <summary>The device is declared lost (no answer for several poll cycles); no value. The edge itself is online.</summary>
    [JsonStringEnumMemberName("comm-lost")]
    CommLost,
}

/// <summary>
/// Reads and writes <see cref="SampleQuality"/> by its names only. The default string-enum converter also reads
/// integers, and numbers in strings: <c>"quality":"1"</c> became uncertain and <c>7</c> a quality no reader knows
/// (found by the payload fuzz, issue 15). The contract says names, so anything else is refused.
/// </summary>
public sealed class SampleQualityJsonConverter() : JsonStringEnumConverter<SampleQuality>(namingPolicy: null, allowIntegerValues: false);
