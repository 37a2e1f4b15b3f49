using PropertyEba.Cloud.Realtime;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Dashboard;

/// <summary>The dashboard's live feed: the session's person receives only their tenant's (and sites') changes, filtered at the source.</summary>
internal sealed class CallerLiveFeed(LiveEvents live, CircuitCaller circuit) : ILiveFeed
{
    public IDisposable Subscribe(LiveSubscription subscription) => live.Subscribe(LiveAudience.Of(circuit.Caller), subscription);
}
