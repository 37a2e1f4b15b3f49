using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Events;

/// <summary>One row of the outbox (<c>domain_events</c>): an event as written with the change that made it.</summary>
public sealed class DomainEventRecord
{
    public long Id { get; set; }
    public required string TenantId { get; set; }

    /// <summary>The event's type, by its full CLR name (what the dispatcher deserializes it as).</summary>
    public required string Type { get; set; }

    /// <summary>The event as JSON (web defaults).</summary>
    public required string Payload { get; set; }
    public DateTimeOffset OccurredUtc { get; set; }

    /// <summary>When every handler had it; null while some handler has not.</summary>
    public DateTimeOffset? DispatchedUtc { get; set; }

    /// <summary>How many deliveries to a handler failed, over all its handlers.</summary>
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

/// <summary>Where one handler stands with one event: done, or failed so many times and due again when.</summary>
public sealed class DomainEventDelivery
{
    public long EventId { get; set; }

    /// <summary>The handler's type, by its full CLR name.</summary>
    public required string Handler { get; set; }
    public DateTimeOffset? CompletedUtc { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptUtc { get; set; }
    public string? LastError { get; set; }
}

internal sealed class DomainEventRecordConfiguration : IEntityTypeConfiguration<DomainEventRecord>
{
    public void Configure(EntityTypeBuilder<DomainEventRecord> b)
    {
        b.ToTable("domain_events");
        b.Property(e => e.Id).HasColumnName("id");
        b.Property(e => e.TenantId).HasColumnName("tenant").HasMaxLength(64);
        b.Property(e => e.Type).HasColumnName("type").HasMaxLength(256);
        b.Property(e => e.Payload).HasColumnName("payload");
        b.Property(e => e.OccurredUtc).HasColumnName("occurred_at");
        b.Property(e => e.DispatchedUtc).HasColumnName("dispatched_at");
        b.Property(e => e.Attempts).HasColumnName("attempts");
        b.Property(e => e.LastError).HasColumnName("last_error");

        // The dispatcher's query: the pending events, in id order.
        b.HasIndex(e => new { e.DispatchedUtc, e.Id });
    }
}

internal sealed class DomainEventDeliveryConfiguration : IEntityTypeConfiguration<DomainEventDelivery>
{
    public void Configure(EntityTypeBuilder<DomainEventDelivery> b)
    {
        b.ToTable("domain_event_deliveries");
        b.HasKey(d => new { d.EventId, d.Handler });
        b.Property(d => d.Handler).HasMaxLength(256);
        b.HasOne<DomainEventRecord>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}
