using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Notifications;

/// <summary>Where a delivery stands.</summary>
public enum DeliveryOutcome
{
    /// <summary>Not sent yet, or failed and waiting for <see cref="NotificationDelivery.NextAttemptUtc"/>.</summary>
    Pending,
    Delivered,

    /// <summary>Refused for good, or still failing after the last allowed attempt.</summary>
    Failed,
}

/// <summary>
/// One notification on one channel to one address, with what became of it: every notification is recorded with its
/// outcome, the error of the last failed attempt, how many attempts were made and when the next one is due.
/// </summary>
public sealed class NotificationDelivery : ITenantOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string RecipientUserId { get; set; }
    public required string Kind { get; set; }
    public required string Channel { get; set; }
    public required string Address { get; set; }
    public required LocalizedText Subject { get; set; }
    public required LocalizedText Body { get; set; }
    public long? TicketId { get; set; }
    public string? Link { get; set; }
    public DeliveryOutcome Outcome { get; set; }
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedUtc { get; set; }

    /// <summary>When to try (again); null once delivered or failed for good.</summary>
    public DateTimeOffset? NextAttemptUtc { get; set; }
    public DateTimeOffset? DeliveredUtc { get; set; }
}

internal sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> b)
    {
        b.ToTable("notification_deliveries");
        b.HasIndex(d => new { d.Outcome, d.NextAttemptUtc });
        b.HasIndex(d => new { d.TenantId, d.RecipientUserId, d.CreatedUtc });
        b.HasIndex(d => d.TicketId);
        b.Property(d => d.Kind).HasMaxLength(64);
        b.Property(d => d.Channel).HasMaxLength(32);
        b.Property(d => d.Address).HasMaxLength(2048);
        b.Property(d => d.Link).HasMaxLength(512);
        b.Property(d => d.Error).HasMaxLength(2000);
        b.Property(d => d.Outcome).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.Subject).HasConversion<LocalizedTextConverter>();
        b.Property(d => d.Body).HasConversion<LocalizedTextConverter>();
    }
}
