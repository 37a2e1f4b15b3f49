using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PropertyEba.Cloud.Edges;

internal sealed class ProvisionedEdgeConfiguration : IEntityTypeConfiguration<ProvisionedEdge>
{
    public void Configure(EntityTypeBuilder<ProvisionedEdge> b)
    {
        b.ToTable("Edges");
        b.HasIndex(e => new { e.TenantId, e.SiteId, e.EdgeId }).IsUnique();
        b.HasIndex(e => e.ClientId).IsUnique();
        b.Property(e => e.TenantId).HasMaxLength(64);
        b.Property(e => e.SiteId).HasMaxLength(64);
        b.Property(e => e.EdgeId).HasMaxLength(64);
        b.Property(e => e.ClientId).HasMaxLength(128);
        b.Property(e => e.SecretHash).HasMaxLength(256);
    }
}
