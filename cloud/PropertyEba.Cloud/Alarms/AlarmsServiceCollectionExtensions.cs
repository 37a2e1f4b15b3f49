using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Events;

namespace PropertyEba.Cloud.Alarms;

public static class AlarmsServiceCollectionExtensions
{
    public static IServiceCollection AddAlarms(this IServiceCollection services)
    {
        services.AddAuditTrail();
        services.AddSingleton<AlarmRuleCache>();
        services.AddSingleton<AlarmOnDelayScheduler>();
        services.AddSingleton<AlarmStore>();
        services.AddSingleton<AlarmEngine>();
        services.AddSingleton<AlarmService>();
        services.AddSingleton<AlarmRuleAdministration>();
        services.AddSingleton<IDeviceDeletionCheck, AlarmRulesWatchingDevice>();
        services.AddHostedService<AlarmOnDelayTimer>();

        // The live feed of alarms runs on their events.
        services.AddDomainEventHandler<AlarmRaised, AlarmLiveFeed>();
        services.AddDomainEventHandler<AlarmCleared, AlarmLiveFeed>();
        services.AddDomainEventHandler<AlarmAcknowledged, AlarmLiveFeed>();
        services.AddDomainEventHandler<AlarmShelved, AlarmLiveFeed>();
        services.AddDomainEventHandler<AlarmUnshelved, AlarmLiveFeed>();
        services.AddDomainEventHandler<AlarmReset, AlarmLiveFeed>();
        services.AddDomainEventHandler<AlarmOutOfServiceChanged, AlarmLiveFeed>();
        return services;
    }
}
