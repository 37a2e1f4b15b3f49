using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Alarms;

/// <summary>A device that alarm rules watch may not be deleted until they are.</summary>
internal sealed class AlarmRulesWatchingDevice : IDeviceDeletionCheck
{
    public async Task<string?> WhyNotDeleteAsync(EbaDbContext db, string tenantId, string siteId, string deviceId, CancellationToken cancellationToken)
    {
        var rules = await db.Set<AlarmRule>().Where(r => r.TenantId == tenantId && r.SiteId == siteId && r.DeviceId == deviceId).Select(r => r.RuleId).ToListAsync(cancellationToken);
        return rules.Count > 0 ? $"Alarm rules {string.Join(", ", rules)} watch device '{deviceId}'; delete them first." : null;
    }
}
