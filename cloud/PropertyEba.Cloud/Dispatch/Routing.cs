using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Dispatch;

/// <summary>A team as routing sees it.</summary>
public sealed record RoutableTeam(string TeamId, IReadOnlyList<string> SiteIds, IReadOnlyList<string> Skills, IReadOnlyList<Severity> Severities, bool Mobile);

/// <summary>
/// Which teams may take a ticket, in the order they are asked. Pure. A team qualifies when it covers the estate, has the
/// skill (when the ticket needs one) and takes the priority; the estate's own teams come before mobile teams (MTU),
/// then by team id so the order is stable.
/// </summary>
public static class Routing
{
    public static IReadOnlyList<RoutableTeam> Candidates(IEnumerable<RoutableTeam> teams, string siteId, string? skill, Severity priority) =>
        [.. teams
            .Where(t => t.SiteIds.Contains(siteId, StringComparer.Ordinal))
            .Where(t => skill is null || t.Skills.Contains(skill, StringComparer.OrdinalIgnoreCase))
            .Where(t => t.Severities.Count == 0 || t.Severities.Contains(priority))
            .OrderBy(t => t.Mobile)
            .ThenBy(t => t.TeamId, StringComparer.Ordinal)];
}
