using System.Text.Json.Serialization;

namespace PropertyEba.Contracts.Mqtt;

/// <summary>Source-generated JSON for the MQTT payloads: camelCase, no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(TelemetryBatch))]
[JsonSerializable(typeof(EdgeStatus))]
[JsonSerializable(typeof(EdgeEvent))]
[JsonSerializable(typeof(EdgeHealth))]
[JsonSerializable(typeof(EdgeCommand))]
[JsonSerializable(typeof(EdgeCommandResult))]
[JsonSerializable(typeof(EdgeDesiredConfig))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
