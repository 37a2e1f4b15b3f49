using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PropertyEba.Cloud.Assets;

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> b)
    {
        b.HasIndex(s => new { s.TenantId, s.SiteId }).IsUnique();
        b.Property(s => s.TenantId).HasMaxLength(64);
        b.Property(s => s.SiteId).HasMaxLength(64);
    }
}

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> b)
    {
        b.HasIndex(d => new { d.TenantId, d.SiteId, d.DeviceId }).IsUnique();
        b.Property(d => d.TenantId).HasMaxLength(64);
        b.Property(d => d.SiteId).HasMaxLength(64);
        b.Property(d => d.DeviceId).HasMaxLength(64);
    }
}

internal sealed class PointConfiguration : IEntityTypeConfiguration<Point>
{
    public void Configure(EntityTypeBuilder<Point> b) =>
        b.HasIndex(p => new { p.TenantId, p.SiteId, p.DeviceId, p.PointId }).IsUnique();
}
