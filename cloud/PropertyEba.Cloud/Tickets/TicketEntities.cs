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

    /// <summary>The time standard: when the technician must be on site.</summary>
    public DateTimeOffset OnSiteDueUtc { get; set; }
    public DateTimeOffset? OnSiteUtc { get; set; }
    public DateTimeOffset? ResolvedUtc { get; set; }
    public DateTimeOffset? ClosedUtc { get; set; }

    /// <summary>The ticket for a reader whose culture is the current UI culture (the request's).</summary>
    public TicketDto ToDto(DateTimeOffset now) => new(
        Id, Number, TenantId, SiteId, DeviceId, AlarmId, MessageCatalog.Render(Title), Priority, Status, AssignedTo,
        CreatedUtc, OnSiteDueUtc, OnSiteUtc, ResolvedUtc, ClosedUtc,
        OnSiteOverdue: (OnSiteUtc ?? (Status is TicketStatus.Created or TicketStatus.Dispatched or TicketStatus.Accepted ? now : OnSiteDueUtc)) > OnSiteDueUtc,
        TitleText: Title);
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
