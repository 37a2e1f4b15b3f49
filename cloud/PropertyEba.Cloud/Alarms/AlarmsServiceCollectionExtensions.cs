using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Audit;

namespace PropertyEba.Cloud.Alarms;

public static class AlarmsServiceCollectionExtensions
{
    public static IServiceCollection AddAlarms(this IServiceCollection services)
    {
        services.AddAuditTrail();
        services.AddSingleton<AlarmEngine>();
        services.AddSingleton<AlarmService>();
        services.AddSingleton<AlarmRuleAdministration>();
        services.AddSingleton<IDeviceDeletionCheck, AlarmRulesWatchingDevice>();
        services.AddHostedService<AlarmOnDelayTimer>();
        return services;
    }
}
