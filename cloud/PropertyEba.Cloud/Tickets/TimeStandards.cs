using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tickets;

/// <summary>A time standard for one priority: how long to accept a dispatched ticket, and to be on site after opening.</summary>
public sealed record TimeStandard(TimeSpan Accept, TimeSpan OnSite);

/// <summary>
/// The time standards a tenant works to. Tickets ask this when they open and at dispatch; the tenant-configured
/// standards (Dispatch) replace the default from <see cref="TicketOptions"/>, so Tickets does not depend on Dispatch.
/// </summary>
public interface ITicketTimeStandards
{
    Task<TimeStandard> ForAsync(EbaDbContext db, string tenantId, Severity priority, CancellationToken cancellationToken);
}

/// <summary>The configured defaults (section <c>Tickets</c>), the same for every tenant.</summary>
internal sealed class OptionsTimeStandards(IOptions<TicketOptions> options) : ITicketTimeStandards
{
    public Task<TimeStandard> ForAsync(EbaDbContext db, string tenantId, Severity priority, CancellationToken cancellationToken) =>
        Task.FromResult(new TimeStandard(options.Value.AcceptStandard(priority), options.Value.OnSiteStandard(priority)));
}
