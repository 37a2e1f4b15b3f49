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
        b.Property(r => r.SuppressedByRuleId).HasMaxLength(64);
    }
}

internal sealed class AlarmConfiguration : IEntityTypeConfiguration<Alarm>
{
    public void Configure(EntityTypeBuilder<Alarm> b)
    {
        b.HasIndex(a => new { a.TenantId, a.State });
        b.HasIndex(a => new { a.TenantId, a.SiteId, a.RaisedUtc });
        b.Property(a => a.State).HasConversion<string>().HasMaxLength(32);
        b.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Message).HasConversion<LocalizedTextConverter>();
        b.HasIndex(a => a.IncidentId);
        b.HasIndex(a => a.ShelvedUntilUtc);
        b.HasIndex(a => a.ReAlarmDueUtc);
    }
}

internal sealed class AlarmIncidentConfiguration : IEntityTypeConfiguration<AlarmIncident>
{
    public void Configure(EntityTypeBuilder<AlarmIncident> b) => b.HasIndex(i => new { i.TenantId, i.SiteId, i.DeviceId, i.ClosedUtc });
}

internal sealed class AlarmCommentConfiguration : IEntityTypeConfiguration<AlarmComment>
{
    public void Configure(EntityTypeBuilder<AlarmComment> b) => b.HasIndex(c => new { c.TenantId, c.AlarmId });
}

internal sealed class DeviceOutOfServiceConfiguration : IEntityTypeConfiguration<DeviceOutOfService>
{
    public void Configure(EntityTypeBuilder<DeviceOutOfService> b) => b.HasIndex(d => new { d.TenantId, d.SiteId, d.DeviceId }).IsUnique();
}

internal sealed class AlarmPendingConditionConfiguration : IEntityTypeConfiguration<AlarmPendingCondition>
{
    public void Configure(EntityTypeBuilder<AlarmPendingCondition> b)
    {
        b.HasIndex(p => new { p.TenantId, p.RuleId, p.SiteId, p.DeviceId, p.PointId }).IsUnique();
        b.Property(p => p.Kind).HasMaxLength(16);
    }
}
