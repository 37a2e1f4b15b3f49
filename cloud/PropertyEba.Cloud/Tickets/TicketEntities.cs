using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Tickets;

/// <summary>A repair ticket (工单).</summary>
public sealed class Ticket : ISiteOwned
{
    public long Id { get; set; }
    public string Number { get; set; } = "";
    public required string TenantId { get; set; }
    public required string SiteId { get; set; }
    public string? DeviceId { get; set; }
    public long? AlarmId { get; set; }
    /// <summary>The title as a catalogue id and parameters; rendered in the reader's culture.</summary>
    public required LocalizedText Title { get; set; }
    public Severity Priority { get; set; }
    public TicketStatus Status { get; set; }
    public string? AssignedTo { get; set; }
    public DateTimeOffset CreatedUtc { get; set; }
    public TicketSource Source { get; set; }

    /// <summary>The skill the repair needs (routing picks a team that has it); null = any team of the site.</summary>
    public string? Skill { get; set; }

    /// <summary>What the person at the desk wrote, as typed.</summary>
    public string? Description { get; set; }

    /// <summary>For a scheduled ticket: the agreed time on site (it is the on-site standard too).</summary>
    public DateTimeOffset? ScheduledForUtc { get; set; }

    /// <summary>The time standard: when the technician must be on site.</summary>
    public DateTimeOffset OnSiteDueUtc { get; set; }

    /// <summary>The time standard for accepting: set at each dispatch, from the tenant's standard for the priority.</summary>
    public DateTimeOffset? AcceptDueUtc { get; set; }

    public DateTimeOffset? DispatchedUtc { get; set; }
    public DateTimeOffset? AcceptedUtc { get; set; }
    public DateTimeOffset? OnSiteUtc { get; set; }
    public DateTimeOffset? ResolvedUtc { get; set; }
    public string? Cause { get; set; }
    public string? Remedy { get; set; }
    public double? LabourHours { get; set; }
    public List<PartUsed> Parts { get; set; } = [];
    public DateTimeOffset? CalledBackUtc { get; set; }

    /// <summary>1–5 from the callback; 1 and 2 are unsatisfied.</summary>
    public int? Satisfaction { get; set; }
    public string? UnsatisfiedReason { get; set; }
    public DateTimeOffset? ClosedUtc { get; set; }
    public DateTimeOffset? CancelledUtc { get; set; }
    public string? CancelReason { get; set; }

    /// <summary>How far up the escalation chain (technician → supervisor → manager) the ticket has gone: 0 = not escalated.</summary>
    public int EscalationLevel { get; set; }

    /// <summary>The team the ticket was routed to (its supervisor and manager are the escalation chain); null when dispatched by hand.</summary>
    public string? TeamId { get; set; }

    /// <summary>When the assignee was last told (the dispatch, then each reminder until accepted).</summary>
    public DateTimeOffset? LastNotifiedUtc { get; set; }
    public bool AcceptBreached { get; set; }
    public bool OnSiteBreached { get; set; }

    /// <summary>The ticket for a reader whose culture is the current UI culture (the request's).</summary>
    public TicketDto ToDto(DateTimeOffset now) => new(
        Id, Number, TenantId, SiteId, DeviceId, AlarmId, MessageCatalog.Render(Title), Priority, Status, AssignedTo,
        CreatedUtc, OnSiteDueUtc, OnSiteUtc, ResolvedUtc, ClosedUtc,
        OnSiteOverdue: Status != TicketStatus.Cancelled
            && (OnSiteUtc ?? (Status is TicketStatus.Created or TicketStatus.Dispatched or TicketStatus.Accepted ? now : OnSiteDueUtc)) > OnSiteDueUtc,
        TitleText: Title,
        Source, Description, DispatchedUtc, AcceptedUtc, AcceptDueUtc, Cause, Remedy, LabourHours, Parts,
        CalledBackUtc, Satisfaction, UnsatisfiedReason, CancelledUtc, CancelReason, ScheduledForUtc, EscalationLevel,
        TeamId, AcceptBreached, OnSiteBreached, Skill);
}

/// <summary>The audit trail of a ticket: every transition, who did it, when.</summary>
public sealed class TicketEvent : ITenantOwned
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public required string TenantId { get; set; }
    public required string Action { get; set; }
    public TicketStatus From { get; set; }
    public TicketStatus To { get; set; }
    public string? By { get; set; }

    /// <summary>What the person who acted typed, kept as typed; null when they typed nothing (the system writes no text here).</summary>
    public string? Note { get; set; }
    public DateTimeOffset AtUtc { get; set; }
}

/// <summary>A photo of a repair, stored as a file under the data directory; served back only to the ticket's tenant.</summary>
public sealed class TicketPhoto : ITenantOwned
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public required string TenantId { get; set; }

    /// <summary>The file's name inside the ticket's photo folder (generated, never the uploader's name).</summary>
    public required string StoredName { get; set; }
    public required string ContentType { get; set; }
    public long Length { get; set; }
    public string? By { get; set; }
    public DateTimeOffset AtUtc { get; set; }
}
