using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Dashboard;

/// <summary>
/// The signed-in person of one dashboard session (a circuit, or the request that prerenders it). Taken from the
/// request while prerendering and from the circuit's authentication state once it opens; anonymous until then.
/// </summary>
internal sealed class CircuitCaller(CallerAccessor callers)
{
    private Caller? _caller;

    public Caller Caller => _caller ?? callers.Current ?? Tenancy.Caller.Anonymous;

    public void Set(Caller caller) => _caller = caller;
}

/// <summary>Reads the circuit's user when it opens, before any page of it renders.</summary>
internal sealed class CallerCircuitHandler(CircuitCaller circuit, DashboardSession session, AuthenticationStateProvider authentication) : CircuitHandler
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit1, CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var caller = EbaClaims.CallerOf(state.User);
        circuit.Set(caller);
        DashboardSessions.Fill(session, caller);
    }
}

internal static class DashboardSessions
{
    public static void Fill(DashboardSession session, Caller caller)
    {
        session.TenantId = caller.TenantId ?? "";
        session.UserName = caller.IsAuthenticated ? caller.UserName : "";
        session.DisplayName = caller.IsAuthenticated ? caller.UserName : "";
        session.Roles = caller.Roles;
    }
}
