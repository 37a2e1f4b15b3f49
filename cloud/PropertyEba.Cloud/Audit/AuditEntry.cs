using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Audit;

/// <summary>
/// One change to configuration, or one alarm or ticket action: who did it (from the caller's claims, never from a
/// request body), what, to what, and when.
/// </summary>
public sealed class AuditEntry : ITenantOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public DateTimeOffset AtUtc { get; set; }

    /// <summary>The Identity user id; <c>system</c> for what the service did by itself (an alarm raised, a ticket opened).</summary>
    public required string UserId { get; set; }
    public required string UserName { get; set; }

    /// <summary>What was done, as a stable id: <c>site.create</c>, <c>alarm.acknowledge</c>, <c>ticket.dispatch</c>.</summary>
    public required string Action { get; set; }

    /// <summary>What it was done to: <c>site/sunny-garden</c>, <c>alarm/42</c>.</summary>
    public required string Target { get; set; }

    /// <summary>The change, as JSON (the new values, a reason, a note); null when the action says it all.</summary>
    public string? Detail { get; set; }
}
