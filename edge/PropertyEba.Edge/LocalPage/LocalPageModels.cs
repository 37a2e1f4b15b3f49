using System.Text.Json.Serialization;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Edge.LocalPage;

/// <summary>A device as the local page shows it: where it is, its state and its latest samples.</summary>
public sealed record LocalDevice(string DeviceId, string Model, string Port, int UnitId, string State, int Priority, IReadOnlyList<TelemetrySample> Points);

/// <summary>A probe request: one read of any register of a device's bus.</summary>
/// <param name="DeviceId">The device whose connection (bus or endpoint) is used.</param>
/// <param name="UnitId">Unit id to read; null uses the device's.</param>
/// <param name="Table"><c>holding</c>, <c>input</c>, <c>coil</c> or <c>discrete</c>.</param>
/// <param name="Address">0-based protocol address.</param>
/// <param name="Count">Registers (1..125) or bits (1..2000).</param>
public sealed record ProbeRequest(string DeviceId, int? UnitId, string Table, int Address, int Count);

/// <summary>A refused request, with what was wrong.</summary>
public sealed record LocalProblem(string Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<LocalDevice>))]
[JsonSerializable(typeof(ProbeRequest))]
[JsonSerializable(typeof(ProbeResult))]
[JsonSerializable(typeof(LocalProblem))]
[JsonSerializable(typeof(EdgeHealth))]
internal sealed partial class LocalPageJsonContext : JsonSerializerContext;
