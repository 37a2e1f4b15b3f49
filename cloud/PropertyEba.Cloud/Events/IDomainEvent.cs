namespace PropertyEba.Cloud.Events;

/// <summary>
/// Something that happened to the state of a tenant (an alarm raised, a ticket closed), written to the outbox in the
/// same transaction as the change (<see cref="DomainEventOutbox.AddDomainEvent"/>) and delivered afterwards to every
/// <see cref="IDomainEventHandler{TEvent}"/> of its type. Events are records, serialized as JSON: keep them to data.
/// </summary>
public interface IDomainEvent
{
    string TenantId { get; }
}

/// <summary>
/// Reacts to one type of event. Delivery is at least once, in the order the events were written: a handler that
/// failed is called again with the same event (after a back-off) before it sees a later one, so a handler must be
/// idempotent (look at the state it would change before changing it).
/// </summary>
public interface IDomainEventHandler<in TEvent>
    where TEvent : IDomainEvent
{
    Task HandleAsync(TEvent e, CancellationToken ct);
}
