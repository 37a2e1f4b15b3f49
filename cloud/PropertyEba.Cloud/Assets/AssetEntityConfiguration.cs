using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PropertyEba.Cloud.Assets;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> b)
    {
        b.HasIndex(t => t.TenantId).IsUnique();
        b.Property(t => t.TenantId).HasMaxLength(64);
        b.Property(t => t.Name).HasMaxLength(AssetValidation.MaxNameLength);
        b.Property(t => t.NameZh).HasMaxLength(AssetValidation.MaxNameLength);
    }
}

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> b)
    {
        b.HasIndex(s => new { s.TenantId, s.SiteId }).IsUnique();
        b.Property(s => s.TenantId).HasMaxLength(64);
        b.Property(s => s.SiteId).HasMaxLength(64);
        b.Property(s => s.Address).HasMaxLength(AssetValidation.MaxAddressLength);
    }
}

internal sealed class BuildingConfiguration : IEntityTypeConfiguration<Building>
{
    public void Configure(EntityTypeBuilder<Building> b)
    {
        b.HasIndex(x => new { x.TenantId, x.SiteId, x.BuildingId }).IsUnique();
        b.Property(x => x.TenantId).HasMaxLength(64);
        b.Property(x => x.SiteId).HasMaxLength(64);
        b.Property(x => x.BuildingId).HasMaxLength(64);
    }
}

internal sealed class LocationConfiguration : IEntityTypeConfiguration<Location>
{
    public void Configure(EntityTypeBuilder<Location> b)
    {
        b.HasIndex(x => new { x.TenantId, x.SiteId, x.LocationId }).IsUnique();
        b.Property(x => x.TenantId).HasMaxLength(64);
        b.Property(x => x.SiteId).HasMaxLength(64);
        b.Property(x => x.LocationId).HasMaxLength(64);
        b.Property(x => x.Kind).HasMaxLength(32);
    }
}

internal sealed class AssetSystemConfiguration : IEntityTypeConfiguration<AssetSystem>
{
    public void Configure(EntityTypeBuilder<AssetSystem> b)
    {
        b.HasIndex(x => new { x.TenantId, x.SystemId }).IsUnique();
        b.Property(x => x.TenantId).HasMaxLength(64);
        b.Property(x => x.SystemId).HasMaxLength(64);
    }
}

internal sealed class DeviceProfileVersionConfiguration : IEntityTypeConfiguration<DeviceProfileVersion>
{
    public void Configure(EntityTypeBuilder<DeviceProfileVersion> b)
    {
        b.HasIndex(x => new { x.TenantId, x.ProfileId, x.Version }).IsUnique();
        b.Property(x => x.TenantId).HasMaxLength(64);
        b.Property(x => x.ProfileId).HasMaxLength(64);
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
        b.Property(d => d.ConnectionKind).HasMaxLength(16);
    }
}

internal sealed class PointConfiguration : IEntityTypeConfiguration<Point>
{
    public void Configure(EntityTypeBuilder<Point> b)
    {
        b.HasIndex(p => new { p.TenantId, p.SiteId, p.DeviceId, p.PointId }).IsUnique();
        b.Ignore(p => p.HasOverride);
    }
}
