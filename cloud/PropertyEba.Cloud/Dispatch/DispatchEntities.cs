using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Dispatch;

/// <summary>
/// A maintenance team: the estates (sites) it covers, the skills it has and the priorities it takes. A mobile
/// maintenance team (MTU, 机动维修队) covers several estates and is asked after the estate's own teams.
/// </summary>
public sealed class Team : ITenantOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string TeamId { get; set; }
    public required string Name { get; set; }

    /// <summary>Comma-separated site ids.</summary>
    public string SiteIds { get; set; } = "";

    /// <summary>Comma-separated skills (electrical, plumbing, lifts, hvac …); empty = general repairs only.</summary>
    public string Skills { get; set; } = "";

    /// <summary>Comma-separated priorities it takes; empty = every priority.</summary>
    public string Severities { get; set; } = "";
    public bool Mobile { get; set; }

    /// <summary>User names of the escalation chain: technician → supervisor → manager.</summary>
    public string? Supervisor { get; set; }
    public string? Manager { get; set; }

    public static IReadOnlyList<string> Split(string csv) => csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>A shift of the rota: one technician on call on the given days from a local start time for a duration (may cross midnight).</summary>
public sealed class RotaShift : ITenantOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string TeamId { get; set; }
    public required string UserName { get; set; }

    /// <summary>Bit per day the shift starts on: bit 0 = Sunday … bit 6 = Saturday (<see cref="DayOfWeek"/>).</summary>
    public int Days { get; set; }
    public TimeOnly Start { get; set; }
    public TimeSpan Duration { get; set; }
}

/// <summary>An override of the rota: this technician is on call for the team from/to these instants, instead of the shifts.</summary>
public sealed class RotaOverride : ITenantOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string TeamId { get; set; }
    public required string UserName { get; set; }
    public DateTimeOffset FromUtc { get; set; }
    public DateTimeOffset ToUtc { get; set; }
    public string? Reason { get; set; }
}

/// <summary>A tenant's own time standard for one priority (replacing the configured default).</summary>
public sealed class TenantTimeStandard : ITenantOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public Severity Priority { get; set; }
    public TimeSpan Accept { get; set; }
    public TimeSpan OnSite { get; set; }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> b)
    {
        b.HasIndex(t => new { t.TenantId, t.TeamId }).IsUnique();
        b.Property(t => t.TeamId).HasMaxLength(64);
        b.Property(t => t.Name).HasMaxLength(128);
        b.Property(t => t.SiteIds).HasMaxLength(2000);
        b.Property(t => t.Skills).HasMaxLength(1000);
        b.Property(t => t.Severities).HasMaxLength(64);
        b.Property(t => t.Supervisor).HasMaxLength(64);
        b.Property(t => t.Manager).HasMaxLength(64);
    }
}

internal sealed class RotaShiftConfiguration : IEntityTypeConfiguration<RotaShift>
{
    public void Configure(EntityTypeBuilder<RotaShift> b)
    {
        b.HasIndex(s => new { s.TenantId, s.TeamId });
        b.Property(s => s.TeamId).HasMaxLength(64);
        b.Property(s => s.UserName).HasMaxLength(64);
    }
}

internal sealed class RotaOverrideConfiguration : IEntityTypeConfiguration<RotaOverride>
{
    public void Configure(EntityTypeBuilder<RotaOverride> b)
    {
        b.HasIndex(o => new { o.TenantId, o.TeamId });
        b.Property(o => o.TeamId).HasMaxLength(64);
        b.Property(o => o.UserName).HasMaxLength(64);
        b.Property(o => o.Reason).HasMaxLength(2000);
    }
}

internal sealed class TenantTimeStandardConfiguration : IEntityTypeConfiguration<TenantTimeStandard>
{
    public void Configure(EntityTypeBuilder<TenantTimeStandard> b)
    {
        b.HasIndex(s => new { s.TenantId, s.Priority }).IsUnique();
        b.Property(s => s.Priority).HasConversion<string>().HasMaxLength(16);
    }
}
