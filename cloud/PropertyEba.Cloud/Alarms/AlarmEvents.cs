using PropertyEba.Cloud.Events;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Alarms;

// The alarm's changes as domain events (docs/architecture.md, "Events"): written to the outbox in the transaction that
// makes the change, handled by the live feed, tickets and notifications. Each names the alarm, the incident it belongs
// to (the alarms of one piece of equipment), the rule, its severity and title, and when it happened.

/// <summary>A rule's condition held (past its on-delay): a new alarm episode.</summary>
public sealed record AlarmRaised(
    string TenantId, string SiteId, string DeviceId, long AlarmId, long IncidentId, string RuleId, Severity Severity, LocalizedText Title, DateTimeOffset At,
    string PointId = "", double? Value = null, string? EquipmentClass = null) : IDomainEvent;

/// <summary>The condition stopped holding (past its off-delay).</summary>
public sealed record AlarmCleared(
    string TenantId, string SiteId, string DeviceId, long AlarmId, long IncidentId, string RuleId, Severity Severity, LocalizedText Title, DateTimeOffset At,
    double? Value = null, bool Latched = false) : IDomainEvent;

/// <summary>Someone (or a closed ticket) acknowledged the alarm.</summary>
public sealed record AlarmAcknowledged(
    string TenantId, string SiteId, string DeviceId, long AlarmId, long IncidentId, string RuleId, Severity Severity, LocalizedText Title, DateTimeOffset At,
    string By = "", string? Note = null) : IDomainEvent;

/// <summary>Shelved until <paramref name="Until"/> with a reason.</summary>
public sealed record AlarmShelved(
    string TenantId, string SiteId, string DeviceId, long AlarmId, long IncidentId, string RuleId, Severity Severity, LocalizedText Title, DateTimeOffset At,
    DateTimeOffset Until = default, string By = "", string Reason = "") : IDomainEvent;

/// <summary>Back from the shelf: by a person, or on its own when the shelving time ran out (By = system).</summary>
public sealed record AlarmUnshelved(
    string TenantId, string SiteId, string DeviceId, long AlarmId, long IncidentId, string RuleId, Severity Severity, LocalizedText Title, DateTimeOffset At,
    string By = "", bool Expired = false) : IDomainEvent;

/// <summary>A latched alarm whose condition had cleared was reset: it is over.</summary>
public sealed record AlarmReset(
    string TenantId, string SiteId, string DeviceId, long AlarmId, long IncidentId, string RuleId, Severity Severity, LocalizedText Title, DateTimeOffset At,
    string By = "") : IDomainEvent;

/// <summary>The alarm was taken out of service (its device under maintenance) or put back.</summary>
public sealed record AlarmOutOfServiceChanged(
    string TenantId, string SiteId, string DeviceId, long AlarmId, long IncidentId, string RuleId, Severity Severity, LocalizedText Title, DateTimeOffset At,
    bool OutOfService = true, string By = "", string? Reason = null) : IDomainEvent;

/// <summary>Someone wrote a comment on the alarm.</summary>
public sealed record AlarmCommented(
    string TenantId, string SiteId, string DeviceId, long AlarmId, long IncidentId, string RuleId, Severity Severity, LocalizedText Title, DateTimeOffset At,
    string By = "", string Text = "") : IDomainEvent;
