using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PropertyEba.Cloud.Events;

/// <summary>Wakes the <see cref="OutboxDispatcher"/> as soon as a change with events has been committed.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        // At most one pending wake-up: the dispatcher reads every pending event when it wakes.
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    /// <summary>Returns when woken or when <paramref name="timeout"/> has passed on <paramref name="time"/>'s clock.</summary>
    internal async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wake = _wake.WaitAsync(stop.Token);
        var delay = Task.Delay(timeout, time, stop.Token);
        await Task.WhenAny(wake, delay);

        // Cancelling a wait that has not taken the wake-up leaves it for the next call.
        await stop.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }
}

/// <summary>
/// Tells the <see cref="OutboxSignal"/> when outbox rows become visible: after a SaveChanges that wrote any when no
/// transaction is open, or after the commit of a transaction. Registered as an EF interceptor, so no writer has to
/// remember to call it.
/// </summary>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal, TimeProvider time) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        WakeIfCommitted(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        WakeIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => signal.Wake();

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        signal.Wake();
        return Task.CompletedTask;
    }

    private static readonly object Pending = new();

    // Whether this save writes events; the context remembers it until the save is done.
    private void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var added = context.ChangeTracker.Entries<DomainEventRecord>().Where(e => e.State == EntityState.Added).ToList();
        if (added.Count == 0)
        {
            return;
        }

        // An event without a time of its own (no At) happened when it was written.
        foreach (var entry in added.Where(e => e.Entity.OccurredUtc == default))
        {
            entry.Entity.OccurredUtc = time.GetUtcNow();
        }

        Writes.AddOrUpdate(context, Pending);
    }

    private void WakeIfCommitted(DbContext? context)
    {
        if (context is not null && Writes.TryGetValue(context, out _))
        {
            Writes.Remove(context);
            if (context.Database.CurrentTransaction is null)
            {
                signal.Wake();
            }
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> Writes = [];
}
