using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Dispatch;

/// <summary>The tenant's own standard for the priority when it set one, else the configured default.</summary>
internal sealed class TenantTimeStandards(IOptions<TicketOptions> options) : ITicketTimeStandards
{
    public async Task<TimeStandard> ForAsync(EbaDbContext db, string tenantId, Severity priority, CancellationToken cancellationToken) =>
        await db.Set<TenantTimeStandard>().Where(s => s.TenantId == tenantId && s.Priority == priority)
            .Select(s => new TimeStandard(s.Accept, s.OnSite)).SingleOrDefaultAsync(cancellationToken)
        ?? new TimeStandard(options.Value.AcceptStandard(priority), options.Value.OnSiteStandard(priority));
}
