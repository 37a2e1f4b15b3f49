using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Hosting;

namespace PropertyEba.Cloud.Tickets;

public static class TicketsServiceCollectionExtensions
{
    public static IServiceCollection AddTickets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuditTrail();
        services.AddValidatedOptions<TicketOptions, TicketOptionsValidator>(configuration, TicketOptions.SectionName);
        services.AddSingleton<TicketService>();
        return services;
    }
}
