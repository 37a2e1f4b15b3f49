namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// One value of one point as the alarm engine judges it: a sample's value, or a computed point's state
/// (<see cref="CommunicationPoint"/>), at the edge's time.
/// </summary>
public readonly record struct PointReading(string DeviceId, string PointId, double Value, long TimestampUtcMs);
