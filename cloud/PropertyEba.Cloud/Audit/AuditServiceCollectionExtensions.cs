using Microsoft.Extensions.DependencyInjection.Extensions;
using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The audit trail, for every feature that records changes (each calls this, so a host of one feature alone still
    /// has it): it writes in the change's own SaveChanges, with the user taken from the caller.
    /// </summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.TryAddSingleton<CallerAccessor>();
        services.TryAddSingleton<AuditTrail>();
        return services;
    }
}
