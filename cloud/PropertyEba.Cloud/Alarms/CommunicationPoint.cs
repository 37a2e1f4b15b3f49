using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// A device's communication with its edge, as a state point the alarm rules can watch: 1 while the edge reports the
/// device lost (<see cref="EdgeEventKinds.DeviceCommLost"/>), 0 once it answers again. It is computed from the edge's
/// events, not polled, so no device profile defines it and its id is reserved.
/// </summary>
public static class CommunicationPoint
{
    /// <summary>The point id, under the prefix no device profile may use.</summary>
    public const string Id = PropertyEba.Modbus.Profiles.DeviceProfileLoader.ReservedPointPrefix + "lost";

    /// <summary>
    /// The edge's own connection to the broker, as a state point of the edge (its device id is the edge id): 1 while
    /// its status says offline (a clean stop or its last will), 0 while online. Stamped with the cloud's time of
    /// arrival, because a last will carries the time the edge connected, not the time it went away.
    /// </summary>
    public const string EdgeOfflineId = PropertyEba.Modbus.Profiles.DeviceProfileLoader.ReservedPointPrefix + "edgeOffline";

    /// <summary>The point's value for an edge event, or null for events that say nothing about a device's communication.</summary>
    public static double? ValueFor(EdgeEvent ev) => ev.DeviceId is null ? null : ev.Kind switch
    {
        EdgeEventKinds.DeviceCommLost => 1,
        EdgeEventKinds.DeviceCommRestored => 0,
        _ => null,
    };
}
