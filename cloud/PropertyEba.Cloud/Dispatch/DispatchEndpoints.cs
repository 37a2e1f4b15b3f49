using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Dispatch;

/// <summary>Teams, rotas and time standards (administrators change them; every member reads them), who is on call, the supervisor's board.</summary>
public static class DispatchEndpoints
{
    public static IEndpointRouteBuilder MapDispatchEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/dispatch", "Dispatch");
        group.MapGet("/teams", ListTeams).WithName("ListTeams").WithSummary("The maintenance teams, with estates, skills, priorities and escalation chain.");
        group.MapPut("/teams/{teamId}", PutTeam).WithName("PutTeam").WithSummary("Creates or replaces a team.")
            .RequireAuthorization(Policies.ManageConfiguration);
        group.MapGet("/teams/{teamId}/rota", GetRota).WithName("GetRota").WithSummary("A team's rota: shifts (site-local) and overrides.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/teams/{teamId}/rota", PutRota).WithName("PutRota").WithSummary("Replaces a team's rota.")
            .RequireAuthorization(Policies.ManageConfiguration)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/on-call", GetOnCall).WithName("GetOnCall")
            .WithSummary("Who takes a ticket for the estate, skill and priority at an instant (default now): team and technician.");
        group.MapGet("/standards", ListTimeStandards).WithName("ListTimeStandards").WithSummary("The time standards per priority: the tenant's, or the default.");
        group.MapPut("/standards/{priority}", PutTimeStandard).WithName("PutTimeStandard").WithSummary("Sets the tenant's time to accept and to be on site for a priority.")
            .RequireAuthorization(Policies.ManageConfiguration);
        group.MapGet("/board", GetDispatchBoard).WithName("GetDispatchBoard")
            .WithSummary("The supervisor's view: a team's open tickets (all teams without teamId) and those that missed a standard; reassign with the ticket's dispatch action.");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<TeamDto>>> ListTeams(string tenantId, IDbContextFactory<EbaDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teams = await db.Set<Team>().Where(t => t.TenantId == tenantId).OrderBy(t => t.TeamId).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<TeamDto>>(teams.ConvertAll(ToDto));
    }

    public static async Task<Results<Ok<TeamDto>, ProblemHttpResult>> PutTeam(
        string tenantId, string teamId, PutTeamRequest request, IDbContextFactory<EbaDbContext> dbFactory, AuditTrail audit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 128)
        {
            return ApiProblems.Invalid("name", "'name' is required, 1 to 128 characters.");
        }

        if (request.SiteIds is not { Count: > 0 } || request.SiteIds.FirstOrDefault(s => !MqttTopics.IsId(s)) is { } badSite && badSite is not null)
        {
            return ApiProblems.Invalid("siteIds", "'siteIds' needs at least one site id (1..64 of a-z, 0-9, '-', '_').");
        }

        if ((request.Skills ?? []).FirstOrDefault(s => string.IsNullOrWhiteSpace(s) || s.Length > 32 || s.Contains(',', StringComparison.Ordinal)) is { } badSkill)
        {
            return ApiProblems.Invalid("skills", $"Skill '{badSkill}': each skill is 1 to 32 characters without commas.");
        }

        if ((ApiProblems.TooLong("supervisor", request.Supervisor, ApiProblems.MaxNameLength) ?? ApiProblems.TooLong("manager", request.Manager, ApiProblems.MaxNameLength)) is { } tooLong)
        {
            return tooLong;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sites = request.SiteIds.Distinct(StringComparer.Ordinal).ToList();
        var known = await db.Set<Assets.Site>().Where(s => s.TenantId == tenantId && sites.Contains(s.SiteId)).Select(s => s.SiteId).ToListAsync(ct);
        if (sites.Except(known, StringComparer.Ordinal).FirstOrDefault() is { } unknown)
        {
            return ApiProblems.Invalid("siteIds", $"Tenant '{tenantId}' has no site '{unknown}'.");
        }

        var team = await db.Set<Team>().SingleOrDefaultAsync(t => t.TenantId == tenantId && t.TeamId == teamId, ct);
        if (team is null)
        {
            team = new Team { TenantId = tenantId, TeamId = teamId, Name = request.Name };
            db.Add(team);
        }

        team.Name = request.Name.Trim();
        team.SiteIds = string.Join(',', sites);
        team.Skills = string.Join(',', (request.Skills ?? []).Select(s => s.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal));
        team.Severities = string.Join(',', (request.Severities ?? []).Distinct());
        team.Mobile = request.Mobile;
        team.Supervisor = string.IsNullOrWhiteSpace(request.Supervisor) ? null : request.Supervisor.Trim();
        team.Manager = string.IsNullOrWhiteSpace(request.Manager) ? null : request.Manager.Trim();
        audit.Record(db, tenantId, "dispatch.team.put", $"team/{teamId}", request);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(team));
    }

    public static async Task<Results<Ok<RotaDto>, ProblemHttpResult>> GetRota(string tenantId, string teamId, IDbContextFactory<EbaDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Set<Team>().AnyAsync(t => t.TenantId == tenantId && t.TeamId == teamId, ct))
        {
            return NoSuchTeam(tenantId, teamId);
        }

        var shifts = await db.Set<RotaShift>().Where(s => s.TenantId == tenantId && s.TeamId == teamId).OrderBy(s => s.Id).ToListAsync(ct);
        var overrides = await db.Set<RotaOverride>().Where(o => o.TenantId == tenantId && o.TeamId == teamId).OrderBy(o => o.Id).ToListAsync(ct);
        return TypedResults.Ok(new RotaDto(
            shifts.ConvertAll(s => new ShiftDto(s.UserName, [.. Enum.GetValues<DayOfWeek>().Where(d => (s.Days & (1 << (int)d)) != 0)], s.Start.ToString("HH:mm", CultureInfo.InvariantCulture), s.Duration)),
            overrides.ConvertAll(o => new RotaOverrideDto(o.UserName, o.FromUtc, o.ToUtc, o.Reason))));
    }

    public static async Task<Results<Ok<RotaDto>, ProblemHttpResult>> PutRota(
        string tenantId, string teamId, RotaDto request, IDbContextFactory<EbaDbContext> dbFactory, AuditTrail audit, CancellationToken ct)
    {
        var shifts = new List<RotaShift>();
        foreach (var s in request.Shifts ?? [])
        {
            if (string.IsNullOrWhiteSpace(s.UserName) || s.UserName.Length > ApiProblems.MaxNameLength)
            {
                return ApiProblems.Invalid("shifts", "Each shift needs 'userName' (1 to 64 characters).");
            }

            if (!TimeOnly.TryParseExact(s.Start, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            {
                return ApiProblems.Invalid("shifts", $"Shift start '{s.Start}' is not a local time HH:mm such as 08:00 or 22:30.");
            }

            if (s.Duration <= TimeSpan.Zero || s.Duration > TimeSpan.FromDays(7) || s.Days is not { Count: > 0 })
            {
                return ApiProblems.Invalid("shifts", $"Shift of {s.UserName}: 'days' needs at least one day and 'duration' must be above 0 and at most 7 days.");
            }

            shifts.Add(new RotaShift { TenantId = tenantId, TeamId = teamId, UserName = s.UserName.Trim(), Days = Rota.DaysFrom(s.Days), Start = start, Duration = s.Duration });
        }

        var overrides = new List<RotaOverride>();
        foreach (var o in request.Overrides ?? [])
        {
            if (string.IsNullOrWhiteSpace(o.UserName) || o.UserName.Length > ApiProblems.MaxNameLength || o.ToUtc <= o.FromUtc)
            {
                return ApiProblems.Invalid("overrides", "Each override needs 'userName' (1 to 64 characters) and 'toUtc' after 'fromUtc'.");
            }

            if (ApiProblems.TooLong("reason", o.Reason, ApiProblems.MaxNoteLength) is { } tooLong)
            {
                return tooLong;
            }

            overrides.Add(new RotaOverride { TenantId = tenantId, TeamId = teamId, UserName = o.UserName.Trim(), FromUtc = o.FromUtc, ToUtc = o.ToUtc, Reason = o.Reason });
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Set<Team>().AnyAsync(t => t.TenantId == tenantId && t.TeamId == teamId, ct))
        {
            return NoSuchTeam(tenantId, teamId);
        }

        db.RemoveRange(await db.Set<RotaShift>().Where(s => s.TenantId == tenantId && s.TeamId == teamId).ToListAsync(ct));
        db.RemoveRange(await db.Set<RotaOverride>().Where(o => o.TenantId == tenantId && o.TeamId == teamId).ToListAsync(ct));
        db.AddRange(shifts);
        db.AddRange(overrides);
        audit.Record(db, tenantId, "dispatch.rota.put", $"team/{teamId}", new { shifts = shifts.Count, overrides = overrides.Count });
        await db.SaveChangesAsync(ct);
        return await GetRota(tenantId, teamId, dbFactory, ct);
    }

    public static async Task<Results<Ok<OnCallDto>, ProblemHttpResult>> GetOnCall(
        string tenantId, string siteId, string? skill, Severity? priority, DateTimeOffset? at, Dispatcher dispatcher, TimeProvider time, CancellationToken ct)
    {
        if (!MqttTopics.IsId(siteId))
        {
            return ApiProblems.InvalidId("site", siteId, "a-z, 0-9, '-', '_'");
        }

        var when = at ?? time.GetUtcNow();
        var choice = await dispatcher.OnCallAsync(tenantId, siteId, skill?.Trim().ToLowerInvariant(), priority ?? Severity.Normal, when, ct);
        return TypedResults.Ok(new OnCallDto(choice?.TeamId, choice?.UserName, when));
    }

    public static async Task<Ok<IReadOnlyList<TimeStandardDto>>> ListTimeStandards(
        string tenantId, IDbContextFactory<EbaDbContext> dbFactory, Microsoft.Extensions.Options.IOptions<TicketOptions> options, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var own = await db.Set<TenantTimeStandard>().Where(s => s.TenantId == tenantId).ToDictionaryAsync(s => s.Priority, ct);
        return TypedResults.Ok<IReadOnlyList<TimeStandardDto>>([.. Enum.GetValues<Severity>().Select(p => own.TryGetValue(p, out var s)
            ? new TimeStandardDto(p, s.Accept, s.OnSite, Configured: true)
            : new TimeStandardDto(p, options.Value.AcceptStandard(p), options.Value.OnSiteStandard(p), Configured: false))]);
    }

    public static async Task<Results<Ok<TimeStandardDto>, ProblemHttpResult>> PutTimeStandard(
        string tenantId, string priority, PutTimeStandardRequest request, IDbContextFactory<EbaDbContext> dbFactory, AuditTrail audit, CancellationToken ct)
    {
        if (!Enum.TryParse<Severity>(priority, ignoreCase: true, out var p) || !Enum.IsDefined(p) || int.TryParse(priority, out _))
        {
            return ApiProblems.Invalid("priority", $"Unknown priority '{priority}'; allowed: {string.Join(", ", Enum.GetNames<Severity>())}.");
        }

        if (request.Accept <= TimeSpan.Zero || request.OnSite <= TimeSpan.Zero || request.Accept > request.OnSite || request.OnSite > TimeSpan.FromDays(30))
        {
            return ApiProblems.Invalid("standard", "'accept' and 'onSite' must be positive, accept at most onSite, onSite at most 30 days (e.g. 00:01:00 and 00:03:00).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var standard = await db.Set<TenantTimeStandard>().SingleOrDefaultAsync(s => s.TenantId == tenantId && s.Priority == p, ct);
        if (standard is null)
        {
            standard = new TenantTimeStandard { TenantId = tenantId, Priority = p };
            db.Add(standard);
        }

        standard.Accept = request.Accept;
        standard.OnSite = request.OnSite;
        audit.Record(db, tenantId, "dispatch.standard.put", $"standard/{p}", request);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new TimeStandardDto(p, standard.Accept, standard.OnSite, Configured: true));
    }

    public static async Task<Ok<DispatchBoardDto>> GetDispatchBoard(
        string tenantId, string? teamId, IDbContextFactory<EbaDbContext> dbFactory, TimeProvider time, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Set<Ticket>().Where(t => t.TenantId == tenantId && t.Status != TicketStatus.Closed && t.Status != TicketStatus.Cancelled);
        if (teamId is not null)
        {
            query = query.Where(t => t.TeamId == teamId);
        }

        var now = time.GetUtcNow();
        var open = (await query.OrderBy(t => t.OnSiteDueUtc).Take(TicketEndpoints.MaxListLimit).ToListAsync(ct)).ConvertAll(t => t.ToDto(now));
        return TypedResults.Ok(new DispatchBoardDto(teamId, open, [.. open.Where(t => t.AcceptBreached || t.OnSiteBreached || t.OnSiteOverdue)]));
    }

    private static TeamDto ToDto(Team t)
    {
        var r = Dispatcher.ToRoutable(t);
        return new TeamDto(t.TeamId, t.Name, r.SiteIds, r.Skills, r.Severities, t.Mobile, t.Supervisor, t.Manager);
    }

    private static ProblemHttpResult NoSuchTeam(string tenantId, string teamId) =>
        ApiProblems.NotFound("No such team", $"Tenant '{tenantId}' has no team '{teamId}'.");
}
