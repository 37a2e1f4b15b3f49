using System.Text.Json.Serialization;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Contracts.Api;

/// <summary>An estate (管理区) as the API and dashboard show it.</summary>
/// <remarks><c>Name</c> is in English (or the only name); <c>NameZh</c> in Chinese, if any: a client shows the one of its reader's language.</remarks>
public sealed record SiteDto(string TenantId, string SiteId, string Name, string? NameZh, string TimeZone, int DeviceCount, int ActiveAlarmCount, bool EdgeOnline);

/// <summary>A device with its points and their latest values.</summary>
/// <remarks>Names and the location come in English (or as typed) and in Chinese (<c>…Zh</c>, if any): a client shows the one of its reader's language.</remarks>
public sealed record DeviceDto(string TenantId, string SiteId, string DeviceId, string Model, string Name, string? NameZh, string System, string? Location, string? LocationZh, IReadOnlyList<PointValueDto> Points);

/// <summary>One point's definition and latest sample.</summary>
public sealed record PointValueDto(string DeviceId, string PointId, string Name, string? NameZh, string Kind, string? Unit, double? Value, string Quality, long? TimestampUtcMs);

/// <summary>A live value change pushed to the dashboard and hub clients.</summary>
public sealed record LiveValueDto(string TenantId, string SiteId, string DeviceId, string PointId, double? Value, string Quality, long TimestampUtcMs);

/// <summary>How urgent an alarm or ticket is; sets the ticket's time standard.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    /// <summary>Life safety (fire alarm): on site within 3 minutes.</summary>
    Emergency,

    /// <summary>Urgent repair: on site within 15 minutes, 24 hours a day.</summary>
    Urgent,

    /// <summary>Needs attention; repair at an agreed time.</summary>
    Normal,
}

/// <summary>The life of an alarm episode.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmState>))]
public enum AlarmState
{
    /// <summary>The condition holds and nobody has acknowledged it.</summary>
    Active,

    /// <summary>The condition holds and an engineer has acknowledged it.</summary>
    Acknowledged,

    /// <summary>The condition no longer holds.</summary>
    Cleared,
}

/// <summary>An alarm episode.</summary>
/// <remarks>
/// <c>Message</c> is rendered in the request's culture (on the live hub: zh-CN); <c>MessageText</c> is the same message
/// as an id of the shared <see cref="MessageCatalog"/> with its parameters, for a client to render in its reader's language.
/// </remarks>
public sealed record AlarmDto(
    long Id, string TenantId, string SiteId, string DeviceId, string PointId, string RuleId,
    Severity Severity, AlarmState State, string Message, double? Value,
    DateTimeOffset RaisedUtc, DateTimeOffset? AcknowledgedUtc, string? AcknowledgedBy, DateTimeOffset? ClearedUtc, long? TicketId,
    LocalizedText MessageText);

/// <summary>An alarm rule as the API shows it: a condition on a point, with on-delay and severity.</summary>
/// <param name="Id">Row id.</param>
/// <param name="TenantId">The tenant the rule belongs to.</param>
/// <param name="RuleId">Stable code, unique per tenant, e.g. <c>tank-low-level</c>.</param>
/// <param name="Name">Name in English.</param>
/// <param name="NameZh">Name in Chinese, if any.</param>
/// <param name="SiteId">The one site the rule watches; null = every site of the tenant.</param>
/// <param name="DeviceId">The one device the rule watches; null = every device (of <paramref name="Model"/>, if set).</param>
/// <param name="Model">The device profile model the rule is restricted to, if any.</param>
/// <param name="PointId">The point whose samples the rule evaluates.</param>
/// <param name="Condition"><c>BelowLimit</c>, <c>AboveLimit</c> or <c>StateEquals</c>.</param>
/// <param name="Threshold">The limit, or the state value for <c>StateEquals</c>.</param>
/// <param name="Deadband">How far past the threshold the value must recover before the alarm clears.</param>
/// <param name="OnDelaySeconds">How long the condition must hold before the alarm is raised.</param>
/// <param name="Severity">Severity of the alarms it raises, and priority of their tickets.</param>
/// <param name="OpensTicket">Whether a raised alarm opens a repair ticket.</param>
/// <param name="Enabled">Whether the rule is evaluated.</param>
public sealed record AlarmRuleDto(
    long Id, string TenantId, string RuleId, string Name, string? NameZh, string? SiteId, string? DeviceId, string? Model,
    string PointId, string Condition, double Threshold, double Deadband, int OnDelaySeconds, Severity Severity, bool OpensTicket, bool Enabled);

/// <summary>The stages of a repair ticket (工单).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TicketStatus>))]
public enum TicketStatus
{
    /// <summary>Opened (by an alarm, a person or a schedule), nobody assigned yet.</summary>
    Created,

    /// <summary>Sent to a technician.</summary>
    Dispatched,

    /// <summary>The technician accepted it.</summary>
    Accepted,

    /// <summary>The technician is on site.</summary>
    OnSite,

    /// <summary>Repaired; awaiting the callback (回访).</summary>
    Resolved,

    /// <summary>Callback done (satisfaction recorded); awaiting closing.</summary>
    CalledBack,

    /// <summary>Callback done; closed.</summary>
    Closed,

    /// <summary>Cancelled with a reason (a duplicate, a false report); never worked on further.</summary>
    Cancelled,
}

/// <summary>Who or what opened a ticket.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TicketSource>))]
public enum TicketSource
{
    /// <summary>An alarm (by policy).</summary>
    Alarm,

    /// <summary>A person at the reception desk (报修).</summary>
    Desk,

    /// <summary>A maintenance schedule, for an agreed time.</summary>
    Schedule,
}

/// <summary>A part used in a repair.</summary>
public sealed record PartUsed(string Name, double Quantity);

/// <summary>A repair ticket.</summary>
/// <remarks>
/// <c>Title</c> is rendered in the request's culture (on the live hub: zh-CN); <c>TitleText</c> is the same title as an
/// id of the shared <see cref="MessageCatalog"/> with its parameters, for a client to render in its reader's language.
/// </remarks>
public sealed record TicketDto(
    long Id, string Number, string TenantId, string SiteId, string? DeviceId, long? AlarmId,
    string Title, Severity Priority, TicketStatus Status, string? AssignedTo,
    DateTimeOffset CreatedUtc, DateTimeOffset OnSiteDueUtc, DateTimeOffset? OnSiteUtc, DateTimeOffset? ResolvedUtc, DateTimeOffset? ClosedUtc,
    bool OnSiteOverdue, LocalizedText TitleText,
    TicketSource Source = TicketSource.Alarm, string? Description = null,
    DateTimeOffset? DispatchedUtc = null, DateTimeOffset? AcceptedUtc = null, DateTimeOffset? AcceptDueUtc = null,
    string? Cause = null, string? Remedy = null, double? LabourHours = null, IReadOnlyList<PartUsed>? Parts = null,
    DateTimeOffset? CalledBackUtc = null, int? Satisfaction = null, string? UnsatisfiedReason = null,
    DateTimeOffset? CancelledUtc = null, string? CancelReason = null, DateTimeOffset? ScheduledForUtc = null,
    int EscalationLevel = 0, string? TeamId = null, bool AcceptBreached = false, bool OnSiteBreached = false, string? Skill = null);

/// <summary>A request to move a ticket on: dispatch, accept, arrive, resolve, close, reopen.</summary>
/// <param name="Action">dispatch, accept, arrive, resolve, callback, close, reopen or cancel.</param>
/// <param name="Technician">For dispatch: the user the ticket goes to.</param>
/// <param name="Note">Free text; for cancel the reason, for an unsatisfied callback the reason (both required).</param>
/// <param name="Cause">For resolve (required): what caused the fault.</param>
/// <param name="Remedy">For resolve (required): what was done.</param>
/// <param name="LabourHours">For resolve (required): hours worked, 0 to 1000.</param>
/// <param name="Parts">For resolve: the parts used.</param>
/// <param name="Satisfaction">For callback (required): 1 (very unsatisfied) to 5 (very satisfied); 1 and 2 are unsatisfied.</param>
/// <param name="KeepAssignee">For reopen (required): true sends it back to the same technician, false clears the assignee.</param>
public sealed record TicketActionRequest(
    string Action, string? Technician = null, string? Note = null,
    string? Cause = null, string? Remedy = null, double? LabourHours = null, IReadOnlyList<PartUsed>? Parts = null,
    int? Satisfaction = null, bool? KeepAssignee = null);

/// <summary>A photo of a repair; <c>Url</c> serves the file to the ticket's tenant.</summary>
public sealed record TicketPhotoDto(long Id, long TicketId, string ContentType, long Length, string? By, DateTimeOffset AtUtc, string Url);

/// <summary>A ticket opened by a person (at the reception desk) or by a schedule (with the agreed time).</summary>
public sealed record CreateTicketRequest(
    string SiteId, string Title, Severity Priority, string? DeviceId = null, string? Description = null,
    DateTimeOffset? ScheduledForUtc = null, string? Skill = null);

/// <summary>A request to acknowledge an alarm.</summary>
public sealed record AcknowledgeAlarmRequest(string? Note = null);

/// <summary>Counters of the MQTT ingestion path.</summary>
/// <param name="MessagesReceived">MQTT messages received on the edge topics.</param>
/// <param name="BatchesAccepted">Telemetry batches stored.</param>
/// <param name="SamplesAccepted">Samples in those batches.</param>
/// <param name="PayloadsRejected">Payloads rejected as invalid (counted, logged, acknowledged).</param>
/// <param name="DuplicateBatches">Batches skipped because their sequence number was already stored.</param>
/// <param name="SequenceGaps">Sequence numbers that never arrived.</param>
/// <param name="SamplesDropped">Samples accepted and then lost. The ingestion path never does this by design; an operator alerts on any value above 0.</param>
/// <param name="LastRejection">Why the last payload was rejected.</param>
/// <param name="EventsFailed">Edge events and statuses the alarm engine could not take; refused, so they are delivered again.</param>
/// <param name="EventsOutOfOrder">Communication events older than the device's last one (a redelivery after a later event), ignored.</param>
public sealed record IngestionStatsDto(
    long MessagesReceived, long BatchesAccepted, long SamplesAccepted, long PayloadsRejected, long DuplicateBatches, long SequenceGaps, long SamplesDropped,
    string? LastRejection, long EventsFailed = 0, long EventsOutOfOrder = 0)
{
    /// <summary>Valid messages refused for now (the publisher or broker delivers them again), e.g. a store that failed.</summary>
    public long MessagesRefused { get; init; }

    /// <summary>Samples in the refused batches; they are stored when their batch comes again.</summary>
    public long SamplesRefused { get; init; }

    /// <summary>The topic and reason of the last refusal.</summary>
    public string? LastRefusal { get; init; }

    /// <summary>How many messages found the ingestion queue full and waited: back-pressure on the publishers.</summary>
    public long BackPressureWaits { get; init; }

    /// <summary>Publishes the broker refused because the client may not publish there (another edge's topic, an edge not provisioned).</summary>
    public long PublishesDenied { get; init; }

    /// <summary>The client, topic and reason of the last denied publish.</summary>
    public string? LastDenial { get; init; }
}

/// <summary>An edge provisioned to connect to the cloud's broker; its secret is never shown again after it was issued.</summary>
/// <param name="TenantId">The tenant it belongs to.</param>
/// <param name="SiteId">The site it serves.</param>
/// <param name="EdgeId">The edge id of its topics.</param>
/// <param name="ClientId">Its MQTT client id, which is also its MQTT user name.</param>
/// <param name="Enabled">False: the broker refuses its connection.</param>
/// <param name="CreatedUtc">When it was provisioned.</param>
/// <param name="SecretIssuedUtc">When its current secret was issued.</param>
public sealed record EdgeDto(string TenantId, string SiteId, string EdgeId, string ClientId, bool Enabled, DateTimeOffset CreatedUtc, DateTimeOffset SecretIssuedUtc);

/// <summary>An edge with its new secret: the one time the secret is shown.</summary>
/// <param name="Edge">The edge.</param>
/// <param name="Username">The MQTT user name to configure on the edge (<c>Edge:Mqtt:Username</c>), equal to its client id.</param>
/// <param name="Password">The MQTT password (<c>Edge:Mqtt:Password</c>); the cloud keeps only a hash of it.</param>
public sealed record EdgeCredentialsDto(EdgeDto Edge, string Username, string Password);

/// <summary>Provisions an edge of a site.</summary>
/// <param name="EdgeId">The edge id of its topics (<c>eba/v1/{tenant}/{site}/{edge}/…</c>).</param>
/// <param name="ClientId">Its MQTT client id; empty means <c>eba-{tenant}-{site}-{edge}</c>, the agent's default.</param>
public sealed record ProvisionEdgeRequest(string? EdgeId, string? ClientId = null);

/// <summary>Turns an edge's access on or off.</summary>
public sealed record SetEdgeEnabledRequest(bool? Enabled);

/// <summary>
/// A client that connected without being provisioned and tried to publish: it waits to be adopted. The tenant, site
/// and edge are what its topics claim, not anything the cloud has checked.
/// </summary>
public sealed record PendingEdgeDto(string ClientId, string ClaimedTenantId, string ClaimedSiteId, string ClaimedEdgeId, DateTimeOffset FirstSeenUtc, DateTimeOffset LastSeenUtc, long Attempts);

/// <summary>A person who signs in, with the roles and (when limited) the sites of the tenant they belong to.</summary>
/// <param name="UserName">What they sign in with.</param>
/// <param name="DisplayName">What the dashboard and the audit log show.</param>
/// <param name="TenantId">Null for a platform operator.</param>
/// <param name="Roles">administrator, engineer, technician, energy-manager, installer; platform-operator.</param>
/// <param name="SiteIds">Null = every site of the tenant.</param>
/// <param name="LockedUntil">Set while the account is locked (after failed sign-ins, or by an administrator).</param>
public sealed record UserDto(string UserName, string DisplayName, string? TenantId, IReadOnlyList<string> Roles, IReadOnlyList<string>? SiteIds, DateTimeOffset? LockedUntil);

/// <summary>A new user. Roles: administrator, engineer, technician, energy-manager, installer.</summary>
public sealed record CreateUserRequest(string UserName, string? Password, IReadOnlyList<string> Roles, string? DisplayName = null, IReadOnlyList<string>? SiteIds = null);

/// <summary>New roles and sites of a user; <paramref name="Locked"/> locks or unlocks the account.</summary>
public sealed record UpdateUserRequest(IReadOnlyList<string> Roles, IReadOnlyList<string>? SiteIds = null, string? DisplayName = null, bool? Locked = null);

/// <summary>A sign-in for a bearer token.</summary>
public sealed record TokenRequest(string UserName, string Password);

/// <summary>A refresh token to exchange for a new bearer token.</summary>
public sealed record RefreshRequest(string RefreshToken);

/// <summary>Who the caller is.</summary>
public sealed record CallerDto(string UserName, string DisplayName, string? TenantId, IReadOnlyList<string> Roles, IReadOnlyList<string>? SiteIds);

/// <summary>One audited action: who did what to what, and when.</summary>
public sealed record AuditEntryDto(long Id, DateTimeOffset AtUtc, string UserId, string UserName, string Action, string Target, string? Detail);
