using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Edge;

/// <summary>What the pollers hand to the uplink through the bounded channel between them.</summary>
internal abstract record UplinkItem;

/// <summary>The samples of one poll cycle of one device.</summary>
internal sealed record DeviceReading(string DeviceId, IReadOnlyList<TelemetrySample> Samples) : UplinkItem;

/// <summary>An event for the <c>events</c> topic.</summary>
internal sealed record EventItem(EdgeEvent Event) : UplinkItem;
