using System.Text.Json;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Events;

public static class DomainEventOutbox
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Adds <paramref name="e"/> to the outbox: saved by the context's next SaveChanges, so in the same transaction as
    /// the state change beside it — no change without its event, no event for a change that was rolled back.
    /// </summary>
    public static DomainEventRecord AddDomainEvent(this EbaDbContext db, IDomainEvent e)
    {
        var type = e.GetType();
        var record = new DomainEventRecord
        {
            TenantId = e.TenantId,
            Type = type.FullName ?? type.Name,
            Payload = JsonSerializer.Serialize(e, type, Json),
            OccurredUtc = OccurredAt(e),
        };
        db.Add(record);
        return record;
    }

    // The event's own time when it has one named At (the alarm and ticket events have); otherwise default, which the
    // commit interceptor replaces with the time of the write.
    private static DateTimeOffset OccurredAt(IDomainEvent e) =>
        e.GetType().GetProperty("At")?.GetValue(e) is DateTimeOffset at ? at : default;
}
