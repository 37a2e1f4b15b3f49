using Microsoft.Extensions.DependencyInjection.Extensions;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Tickets;

namespace PropertyEba.Cloud.Dispatch;

public static class DispatchServiceCollectionExtensions
{
    /// <summary>Routing to the technician on call, notifications, the tenant's time standards and the dispatch clock. Needs AddTickets and AddNotifications.</summary>
    public static IServiceCollection AddDispatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DispatchOptions, DispatchOptionsValidator>(configuration, DispatchOptions.SectionName);
        services.Replace(ServiceDescriptor.Singleton<ITicketTimeStandards, TenantTimeStandards>());

        // Singletons before the handler registrations (which would add them scoped): the clock uses them too.
        services.AddSingleton<Dispatcher>();
        services.AddSingleton<DispatchNotifications>();
        services.AddDomainEventHandler<TicketOpened, Dispatcher>();
        services.AddDomainEventHandler<TicketAssigned, DispatchNotifications>();
        services.AddDomainEventHandler<TicketEscalated, DispatchNotifications>();
        services.AddDomainEventHandler<TicketCalledBack, DispatchNotifications>();
        services.AddSingleton<DispatchClock>();
        services.AddHostedService(sp => sp.GetRequiredService<DispatchClock>());
        return services;
    }
}
