using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Alarms;

internal sealed class AlarmRuleConfiguration : IEntityTypeConfiguration<AlarmRule>
{
    public void Configure(EntityTypeBuilder<AlarmRule> b)
    {
        b.HasIndex(r => new { r.TenantId, r.RuleId }).IsUnique();
        b.Property(r => r.Condition).HasConversion<string>().HasMaxLength(32);
        b.Property(r => r.Severity).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class AlarmConfiguration : IEntityTypeConfiguration<Alarm>
{
    public void Configure(EntityTypeBuilder<Alarm> b)
    {
        b.HasIndex(a => new { a.TenantId, a.State });
        b.HasIndex(a => new { a.TenantId, a.SiteId, a.RaisedUtc });
        b.Property(a => a.State).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Message).HasConversion<LocalizedTextConverter>();
    }
}
