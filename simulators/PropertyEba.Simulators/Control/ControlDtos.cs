namespace PropertyEba.Simulators.Control;

/// <summary>An estate served by the control endpoint.</summary>
public sealed record EstateSummaryDto(string Name, int DeviceCount, string Url, IReadOnlyList<string> AvailableFaults);

/// <summary>A device and where it answers.</summary>
public sealed record DeviceDto(string Id, string Model, string Endpoint, int UnitId);

/// <summary>A point's current value.</summary>
public sealed record PointValueDto(string Id, string Name, string? NameZh, string? Unit, double Value);

/// <summary>All current values of a device.</summary>
public sealed record DeviceValuesDto(string DeviceId, string Model, IReadOnlyList<PointValueDto> Values);

/// <summary>A fault to inject: <c>device</c> omitted means the first device it applies to.</summary>
public sealed record FaultRequestDto(string Fault, string? Device);

/// <summary>A fault that can be injected.</summary>
public sealed record FaultDescriptionDto(string Name, string Kind, string Description);

/// <summary>The faults of an estate: those that apply and those in effect.</summary>
public sealed record FaultsDto(IReadOnlyList<FaultDescriptionDto> Available, IReadOnlyList<Faults.ActiveFault> Active);
