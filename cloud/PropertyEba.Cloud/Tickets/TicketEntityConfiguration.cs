using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tickets;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> b)
    {
        b.HasIndex(t => new { t.TenantId, t.Status });
        b.HasIndex(t => t.AlarmId);
        b.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.Priority).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.Title).HasConversion<LocalizedTextConverter>();
        b.Property(t => t.Source).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.Description).HasMaxLength(2000);
        b.Property(t => t.Skill).HasMaxLength(64);
        b.Property(t => t.Cause).HasMaxLength(2000);
        b.Property(t => t.Remedy).HasMaxLength(2000);
        b.Property(t => t.UnsatisfiedReason).HasMaxLength(2000);
        b.Property(t => t.CancelReason).HasMaxLength(2000);

        // The parts of one repair are read and written with the ticket, never queried on their own: one JSON column.
        b.Property(t => t.Parts).HasConversion(
            new ValueConverter<List<PartUsed>, string>(
                v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
                v => string.IsNullOrEmpty(v) ? new List<PartUsed>() : JsonSerializer.Deserialize<List<PartUsed>>(v, JsonSerializerOptions.Web) ?? new List<PartUsed>()),
            new ValueComparer<List<PartUsed>>(
                (a, c) => a!.SequenceEqual(c!),
                v => v.Aggregate(0, (h, p) => HashCode.Combine(h, p.GetHashCode())),
                v => v.ToList()));
    }
}

internal sealed class TicketPhotoConfiguration : IEntityTypeConfiguration<TicketPhoto>
{
    public void Configure(EntityTypeBuilder<TicketPhoto> b)
    {
        b.HasIndex(p => p.TicketId);
        b.Property(p => p.StoredName).HasMaxLength(64);
        b.Property(p => p.ContentType).HasMaxLength(32);
    }
}

internal sealed class TicketEventConfiguration : IEntityTypeConfiguration<TicketEvent>
{
    public void Configure(EntityTypeBuilder<TicketEvent> b)
    {
        b.HasIndex(e => e.TicketId);
        b.Property(e => e.From).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.To).HasConversion<string>().HasMaxLength(16);
    }
}
