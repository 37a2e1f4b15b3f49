using System.Text.Json.Serialization;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Alarms;

/// <summary>What makes a rule's condition true.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmCondition>))]
public enum AlarmCondition
{
    /// <summary>Value below the threshold; clears at threshold + deadband.</summary>
    BelowLimit,

    /// <summary>Value above the threshold; clears at threshold − deadband.</summary>
    AboveLimit,

    /// <summary>A state point equals the threshold (1 = fault, running, fire alarm), or an enumerated value.</summary>
    StateEquals,

    /// <summary>The high-high limit: as <see cref="AboveLimit"/>, the second, more severe stage.</summary>
    HighHighLimit,

    /// <summary>The low-low limit: as <see cref="BelowLimit"/>, the second, more severe stage.</summary>
    LowLowLimit,

    /// <summary>Bit number <c>threshold</c> (0 = least significant) of a status word is set.</summary>
    BitSet,

    /// <summary>The value changes faster than <c>threshold</c> units per minute (either way); clears below threshold − deadband.</summary>
    RateOfChange,

    /// <summary>No sample of the point for <c>threshold</c> seconds; clears with the next sample.</summary>
    NoData,

    /// <summary>The device's communication is lost (<see cref="CommunicationPoint.Id"/> is 1).</summary>
    CommunicationLost,

    /// <summary>The edge is offline (<see cref="CommunicationPoint.EdgeOfflineId"/> is 1).</summary>
    EdgeOffline,
}

/// <summary>A condition on a point with on-delay and severity, and whether it opens a repair ticket.</summary>
public sealed class AlarmRule : ITenantOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }

    /// <summary>Stable code, unique per tenant, e.g. <c>tank-low-level</c>.</summary>
    public required string RuleId { get; set; }
    public required string Name { get; set; }
    public string? NameZh { get; set; }

    /// <summary>The rule's name in both languages, as a parameter of the texts it makes.</summary>
    public LocalizedName LocalizedName => new(Name, NameZh);

    /// <summary>Restricts the rule to one site; null = every site of the tenant.</summary>
    public string? SiteId { get; set; }

    /// <summary>Restricts the rule to one device; null = every device (of the model, if set).</summary>
    public string? DeviceId { get; set; }

    /// <summary>Restricts the rule to devices of one profile model.</summary>
    public string? Model { get; set; }

    public required string PointId { get; set; }
    public AlarmCondition Condition { get; set; }
    public double Threshold { get; set; }
    public double Deadband { get; set; }

    /// <summary>The condition must hold this long before the alarm is raised (filters spikes).</summary>
    public int OnDelaySeconds { get; set; }
    public Severity Severity { get; set; } = Severity.Urgent;
    public bool OpensTicket { get; set; } = true;
    public bool Enabled { get; set; } = true;

    /// <summary>The condition must have stopped holding this long before the alarm clears (filters a flicker back).</summary>
    public int OffDelaySeconds { get; set; }

    /// <summary>An acknowledged alarm that still holds after this long is announced again (0 = never).</summary>
    public int ReAlarmSeconds { get; set; }

    /// <summary>The alarm stays, after its condition clears, until someone resets it (a fire alarm).</summary>
    public bool Latched { get; set; }

    /// <summary>
    /// Suppression by design: while an alarm of this rule is open at the same site (a mains failure), this rule's alarms
    /// are recorded but not announced and open no ticket (the pump and meter alarms the failure causes).
    /// </summary>
    public string? SuppressedByRuleId { get; set; }

    public AlarmRuleDto ToDto() => new(Id, TenantId, RuleId, Name, NameZh, SiteId, DeviceId, Model, PointId, Condition.ToString(), Threshold, Deadband, OnDelaySeconds, Severity, OpensTicket, Enabled,
        OffDelaySeconds, ReAlarmSeconds, Latched, SuppressedByRuleId);
}

/// <summary>One episode of a rule being true for one device.</summary>
public sealed class Alarm : ISiteOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SiteId { get; set; }
    public required string DeviceId { get; set; }
    public required string PointId { get; set; }
    public required string RuleId { get; set; }
    public Severity Severity { get; set; }
    public AlarmState State { get; set; }
    /// <summary>What a person reads about the alarm, as a catalogue id and parameters; rendered in the reader's culture.</summary>
    public required LocalizedText Message { get; set; }
    public double? Value { get; set; }
    public DateTimeOffset RaisedUtc { get; set; }
    public DateTimeOffset? AcknowledgedUtc { get; set; }
    public string? AcknowledgedBy { get; set; }
    public DateTimeOffset? ClearedUtc { get; set; }
    public long? TicketId { get; set; }

    /// <summary>The incident this alarm belongs to: the open alarms of one piece of equipment.</summary>
    public long IncidentId { get; set; }

    /// <summary>Copied from the rule when raised: a latched alarm waits for a reset after it clears.</summary>
    public bool Latched { get; set; }
    public string? AcknowledgeNote { get; set; }
    public DateTimeOffset? ResetUtc { get; set; }
    public string? ResetBy { get; set; }

    /// <summary>When an acknowledged alarm that still holds is announced again (the rule's re-alarm time); null = never.</summary>
    public DateTimeOffset? ReAlarmDueUtc { get; set; }

    /// <summary>Shelved (hidden for a bounded time, with a reason) until then; null when not shelved.</summary>
    public DateTimeOffset? ShelvedUntilUtc { get; set; }
    public string? ShelvedBy { get; set; }
    public string? ShelveReason { get; set; }

    /// <summary>Its device was out of service (under maintenance) when it was raised or since.</summary>
    public bool OutOfService { get; set; }

    /// <summary>Suppressed by design: the rule, or the communication loss, whose open alarm causes this one; not announced.</summary>
    public string? SuppressedBy { get; set; }

    /// <summary>Announced: not suppressed, not out of service, not shelved.</summary>
    public bool IsAnnounced => SuppressedBy is null && !OutOfService && ShelvedUntilUtc is null;

    /// <summary>The alarm for a reader whose culture is the current UI culture (the request's).</summary>
    public AlarmDto ToDto() => new(Id, TenantId, SiteId, DeviceId, PointId, RuleId, Severity, State, MessageCatalog.Render(Message), Value, RaisedUtc, AcknowledgedUtc, AcknowledgedBy, ClearedUtc, TicketId, Message,
        IncidentId, Latched, ShelvedUntilUtc, ShelveReason, OutOfService, SuppressedBy);
}

/// <summary>The alarms of one piece of equipment (a device, or an edge) while any of them is open: one ticket, one story.</summary>
public sealed class AlarmIncident : ISiteOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SiteId { get; set; }
    public required string DeviceId { get; set; }
    public DateTimeOffset OpenedUtc { get; set; }

    /// <summary>When its last alarm went back to normal; null while open.</summary>
    public DateTimeOffset? ClosedUtc { get; set; }

    /// <summary>The ticket the incident opened (Tickets/TicketsFromAlarms); its recurrences append to it.</summary>
    public long? TicketId { get; set; }
}

/// <summary>What someone wrote on an alarm.</summary>
public sealed class AlarmComment : ITenantOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public long AlarmId { get; set; }
    public required string By { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset AtUtc { get; set; }
}

/// <summary>A device taken out of service (under maintenance): its alarms are recorded but not announced until it is back.</summary>
public sealed class DeviceOutOfService : ITenantOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SiteId { get; set; }
    public required string DeviceId { get; set; }
    public required string By { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset SinceUtc { get; set; }
}

/// <summary>
/// A condition waiting for its rule's on-delay (or a cleared one for its off-delay), persisted so that a restart of
/// the service does not forget it (a device's communication state changes once per episode: its sample never comes again).
/// </summary>
public sealed class AlarmPendingCondition
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SiteId { get; set; }
    public required string DeviceId { get; set; }
    public required string PointId { get; set; }
    public required string RuleId { get; set; }

    /// <summary>The value that made (or unmade) the condition.</summary>
    public double Value { get; set; }

    /// <summary>Since when, on the edge's timeline, the condition holds (or has stopped holding, or the point is silent).</summary>
    public long SinceUtcMs { get; set; }

    /// <summary>When the delay ends on the edge's timeline.</summary>
    public long DueUtcMs { get; set; }

    /// <summary>When the delay ends on the cloud's clock.</summary>
    public DateTimeOffset DueUtc { get; set; }

    /// <summary><see cref="PendingKinds.Raise"/> (an on-delay), <see cref="PendingKinds.Clear"/> (an off-delay) or <see cref="PendingKinds.Silence"/> (no data).</summary>
    public required string Kind { get; set; }
}

/// <summary>What an <see cref="AlarmPendingCondition"/> waits for.</summary>
public static class PendingKinds
{
    public const string Raise = "raise";
    public const string Clear = "clear";
    public const string Silence = "silence";
}
