using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PropertyEba.Cloud.Persistence;

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
