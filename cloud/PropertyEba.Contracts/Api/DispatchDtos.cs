namespace PropertyEba.Contracts.Api;

/// <summary>
/// A maintenance team: the estates it covers, its skills, the priorities it takes (empty = all), its escalation chain
/// (supervisor, manager: user names). <c>Mobile</c>: a mobile maintenance team (MTU) spanning estates, asked after the
/// estate's own teams.
/// </summary>
public sealed record TeamDto(
    string TeamId, string Name, IReadOnlyList<string> SiteIds, IReadOnlyList<string> Skills, IReadOnlyList<Severity> Severities,
    bool Mobile, string? Supervisor, string? Manager);

/// <summary>Creates or replaces a team.</summary>
public sealed record PutTeamRequest(
    string Name, IReadOnlyList<string> SiteIds, IReadOnlyList<string>? Skills = null, IReadOnlyList<Severity>? Severities = null,
    bool Mobile = false, string? Supervisor = null, string? Manager = null);

/// <summary>A shift: on call on these days from the local <c>Start</c> (HH:mm, the site's time zone) for <c>Duration</c> (may cross midnight).</summary>
public sealed record ShiftDto(string UserName, IReadOnlyList<DayOfWeek> Days, string Start, TimeSpan Duration);

/// <summary>Someone on call instead of the shifts, from/to these instants.</summary>
public sealed record RotaOverrideDto(string UserName, DateTimeOffset FromUtc, DateTimeOffset ToUtc, string? Reason = null);

/// <summary>A team's rota: its shifts and overrides.</summary>
public sealed record RotaDto(IReadOnlyList<ShiftDto> Shifts, IReadOnlyList<RotaOverrideDto> Overrides);

/// <summary>Who takes a ticket for an estate, skill and priority at an instant; both null when nobody is on call.</summary>
public sealed record OnCallDto(string? TeamId, string? UserName, DateTimeOffset At);

/// <summary>A time standard for one priority; <c>Configured</c> is false for the service's default.</summary>
public sealed record TimeStandardDto(Severity Priority, TimeSpan Accept, TimeSpan OnSite, bool Configured);

/// <summary>Sets a tenant's time standard for one priority.</summary>
public sealed record PutTimeStandardRequest(TimeSpan Accept, TimeSpan OnSite);

/// <summary>The supervisor's view of a team: its open tickets and, among them, those that missed a standard.</summary>
public sealed record DispatchBoardDto(string? TeamId, IReadOnlyList<TicketDto> Open, IReadOnlyList<TicketDto> Breached);
