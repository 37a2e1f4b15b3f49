using PropertyEba.Cloud.Alarms;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.DemoEstate;

/// <summary>
/// The alarm rules a new estate starts with: one per point kind that needs one in the demo equipment, one for
/// any device its edge can no longer reach, and one for an edge that is away longer than <paramref name="edgeOfflineDelay"/>.
/// </summary>
internal static class DemoAlarmRules
{
    public static IEnumerable<AlarmRule> For(string tenantId, TimeSpan edgeOfflineDelay) =>
    [
        new AlarmRule
        {
            TenantId = tenantId, RuleId = "edge-offline", Name = "Edge gateway offline", NameZh = "边缘网关离线",
            PointId = CommunicationPoint.EdgeOfflineId, Condition = AlarmCondition.StateEquals,
            Threshold = 1, OnDelaySeconds = (int)Math.Ceiling(edgeOfflineDelay.TotalSeconds), Severity = Severity.Urgent, OpensTicket = true,
        },
        new AlarmRule
        {
            TenantId = tenantId, RuleId = "device-comm-lost", Name = "Device communication lost", NameZh = "设备通讯中断",
            PointId = CommunicationPoint.Id, Condition = AlarmCondition.StateEquals,
            Threshold = 1, Severity = Severity.Urgent, OpensTicket = true,
        },
        new AlarmRule
        {
            TenantId = tenantId, RuleId = "tank-low-level", Name = "Domestic water tank low level", NameZh = "生活水箱低水位",
            Model = DemoPoints.TankModel, PointId = DemoPoints.TankLevel, Condition = AlarmCondition.BelowLimit,
            Threshold = DemoPoints.TankLowLevelM, Deadband = 0.2, OnDelaySeconds = 0, Severity = Severity.Urgent, OpensTicket = true,
        },
        new AlarmRule
        {
            TenantId = tenantId, RuleId = "pump1-vfd-fault", Name = "Pump 1 VFD fault", NameZh = "1#泵变频器故障",
            Model = DemoPoints.PumpSetModel, PointId = DemoPoints.Pump1VfdFault, Condition = AlarmCondition.StateEquals,
            Threshold = 1, Severity = Severity.Urgent, OpensTicket = true,
        },
        new AlarmRule
        {
            TenantId = tenantId, RuleId = "pump2-vfd-fault", Name = "Pump 2 VFD fault", NameZh = "2#泵变频器故障",
            Model = DemoPoints.PumpSetModel, PointId = DemoPoints.Pump2VfdFault, Condition = AlarmCondition.StateEquals,
            Threshold = 1, Severity = Severity.Urgent, OpensTicket = true,
        },
    ];
}

/// <summary>Point ids of the demo equipment's profiles (edge/profiles) that the default rules watch.</summary>
internal static class DemoPoints
{
    public const string TankModel = "water-tank-level";
    public const string TankLevel = "level";
    public const double TankLowLevelM = 0.5;
    public const string PumpSetModel = "pump-set-duplex";
    public const string Pump1VfdFault = "pump1.vfdFault";
    public const string Pump2VfdFault = "pump2.vfdFault";
}
