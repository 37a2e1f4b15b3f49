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

    /// <summary>A state point equals the threshold (1 = fault, running, fire alarm).</summary>
    StateEquals,
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

    public AlarmRuleDto ToDto() => new(Id, TenantId, RuleId, Name, NameZh, SiteId, DeviceId, Model, PointId, Condition.ToString(), Threshold, Deadband, OnDelaySeconds, Severity, OpensTicket, Enabled);
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

    /// <summary>The alarm for a reader whose culture is the current UI culture (the request's).</summary>
    public AlarmDto ToDto() => new(Id, TenantId, SiteId, DeviceId, PointId, RuleId, Severity, State, MessageCatalog.Render(Message), Value, RaisedUtc, AcknowledgedUtc, AcknowledgedBy, ClearedUtc, TicketId, Message);
}
