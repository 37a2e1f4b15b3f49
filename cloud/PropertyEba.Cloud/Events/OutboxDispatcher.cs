using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Events;

/// <summary>
/// Delivers the outbox's events, in id order, to every handler registered for their type. Each handler's completion
/// is recorded per event (<see cref="DomainEventDelivery"/>), so a handler that fails is retried with a doubling
/// back-off without running the others again; while it waits, it gets none of the later events (its order holds),
/// the other handlers go on. An event is dispatched when every handler has it. Woken by <see cref="OutboxSignal"/>
/// right after a commit, and polling every <see cref="OutboxOptions.PollInterval"/> as a fallback.
/// </summary>
public sealed partial class OutboxDispatcher(
    IDbContextFactory<EbaDbContext> dbFactory,
    IEnumerable<DomainEventHandlerRegistration> registrations,
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly ILookup<string, DomainEventHandlerRegistration> _handlers =
        registrations.ToLookup(r => r.EventType.FullName ?? r.EventType.Name, StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset? _nextRetryUtc;
    private long _delivered;
    private long _failures;

    /// <summary>Deliveries to a handler that succeeded.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Deliveries to a handler that threw (each logged, and retried).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // Round after round while rounds deliver something: a burst larger than a batch goes on at once.
                    while (await DispatchPendingAsync(stoppingToken) > 0)
                    {
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogRoundFailed(ex);
                }

                // Back sooner than the poll when a failed handler's retry is due earlier.
                var wait = options.Value.PollInterval;
                if (_nextRetryUtc is { } retry)
                {
                    _nextRetryUtc = null;
                    wait = TimeSpan.FromTicks(Math.Clamp((retry - time.GetUtcNow()).Ticks, TimeSpan.TicksPerMillisecond, wait.Ticks));
                }

                await signal.WaitAsync(wait, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One round: every pending event (up to a batch) to every handler that has not had it and is not backing off.
    /// Returns how many deliveries succeeded. Public for tests and for a caller that must see the events handled now.
    /// </summary>
    public async Task<int> DispatchPendingAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await RoundAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> RoundAsync(CancellationToken ct)
    {
        var o = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pending = await db.Set<DomainEventRecord>().Where(e => e.DispatchedUtc == null).OrderBy(e => e.Id).Take(o.BatchSize).ToListAsync(ct);
        if (pending.Count == 0)
        {
            return 0;
        }

        var ids = pending.Select(e => e.Id).ToList();
        var deliveries = (await db.Set<DomainEventDelivery>().Where(d => ids.Contains(d.EventId)).ToListAsync(ct))
            .ToDictionary(d => (d.EventId, d.Handler));

        // A handler that failed on an event (or waits to retry it) skips the later ones this round: its order holds.
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        var delivered = 0;
        foreach (var record in pending)
        {
            var allDone = true;
            IDomainEvent? e = null;
            foreach (var handler in _handlers[record.Type])
            {
                deliveries.TryGetValue((record.Id, handler.Name), out var delivery);
                if (delivery?.CompletedUtc is not null)
                {
                    continue;
                }

                allDone = false;
                if (blocked.Contains(handler.Name))
                {
                    continue;
                }

                if (delivery?.NextAttemptUtc is { } next && next > time.GetUtcNow())
                {
                    NoteRetry(next);
                    blocked.Add(handler.Name);
                    continue;
                }

                if (delivery is null)
                {
                    delivery = new DomainEventDelivery { EventId = record.Id, Handler = handler.Name };
                    db.Add(delivery);
                    deliveries[(record.Id, handler.Name)] = delivery;
                }

                try
                {
                    e ??= Deserialize(record, handler.EventType);
                    await using (var scope = scopes.CreateAsyncScope())
                    {
                        await handler.Invoke(scope.ServiceProvider, e, ct);
                    }

                    delivery.CompletedUtc = time.GetUtcNow();
                    delivery.NextAttemptUtc = null;
                    delivered++;
                    Interlocked.Increment(ref _delivered);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    delivery.Attempts++;
                    delivery.LastError = Truncate(ex.Message);
                    delivery.NextAttemptUtc = time.GetUtcNow() + Backoff(delivery.Attempts, o);
                    record.Attempts++;
                    record.LastError = delivery.LastError;
                    NoteRetry(delivery.NextAttemptUtc.Value);
                    blocked.Add(handler.Name);
                    LogHandlerFailed(ex, handler.Name, record.Type, record.Id, delivery.Attempts, delivery.NextAttemptUtc.Value, Interlocked.Increment(ref _failures));
                }

            }

            if (allDone || _handlers[record.Type].All(h => deliveries.TryGetValue((record.Id, h.Name), out var d) && d.CompletedUtc is not null))
            {
                record.DispatchedUtc = time.GetUtcNow();
            }

            // Saved per event: what a handler did is recorded before the next one runs, so a crash repeats at most one.
            await db.SaveChangesAsync(ct);
        }

        return delivered;
    }

    private void NoteRetry(DateTimeOffset at)
    {
        if (_nextRetryUtc is null || at < _nextRetryUtc)
        {
            _nextRetryUtc = at;
        }
    }

    private static IDomainEvent Deserialize(DomainEventRecord record, Type type) =>
        JsonSerializer.Deserialize(record.Payload, type, DomainEventOutbox.Json) as IDomainEvent
        ?? throw new InvalidOperationException($"Outbox event {record.Id} ({record.Type}) has an empty payload.");

    private static TimeSpan Backoff(int attempts, OutboxOptions o)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 20));
        var wait = TimeSpan.FromTicks((long)Math.Min(o.FirstBackoff.Ticks * factor, o.MaxBackoff.Ticks));
        return wait;
    }

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000];

    [LoggerMessage(Level = LogLevel.Error, Message = "Domain event handler {Handler} failed on {EventType} {EventId} (attempt {Attempts}); retrying at {NextAttemptUtc:o} (failures so far: {FailuresTotal})")]
    private partial void LogHandlerFailed(Exception ex, string handler, string eventType, long eventId, int attempts, DateTimeOffset nextAttemptUtc, long failuresTotal);

    [LoggerMessage(Level = LogLevel.Error, Message = "A round of the outbox dispatcher failed; the events stay pending and the next round tries again")]
    private partial void LogRoundFailed(Exception ex);
}
