using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Assets;

/// <summary>
/// Something outside the asset model that still refers to a device (an alarm rule watching it) and so forbids deleting
/// it. Features above Assets implement it, so Assets need not know them.
/// </summary>
public interface IDeviceDeletionCheck
{
    /// <summary>Why the device may not be deleted, or null when nothing here refers to it.</summary>
    Task<string?> WhyNotDeleteAsync(EbaDbContext db, string tenantId, string siteId, string deviceId, CancellationToken cancellationToken);
}
