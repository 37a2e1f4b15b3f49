using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Events;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PropertyEba.Cloud.Hosting;

namespace PropertyEba.Cloud.Tickets;

public static class TicketsServiceCollectionExtensions
{
    public static IServiceCollection AddTickets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuditTrail();
        services.AddValidatedOptions<TicketOptions, TicketOptionsValidator>(configuration, TicketOptions.SectionName);
        services.TryAddSingleton<ITicketTimeStandards, OptionsTimeStandards>();
        services.AddSingleton<TicketService>();
        services.AddSingleton<TicketPhotos>();
        services.AddDomainEventHandler<TicketOpened, TicketLiveFeed>();
        services.AddDomainEventHandler<TicketStatusChanged, TicketLiveFeed>();
        services.AddDomainEventHandler<TicketEscalated, TicketLiveFeed>();
        return services;
    }
}
