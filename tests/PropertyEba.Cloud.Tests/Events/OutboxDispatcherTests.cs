using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Tests.Persistence;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Events;

/// <summary>
/// The outbox on each provider: an event is stored with the change that made it (or not at all), delivered in id order
/// to every handler, a failing handler retried with back-off without running the others again, and the dispatcher
/// woken by the commit rather than its poll.
/// </summary>
public abstract class OutboxDispatcherTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));
    private readonly TempStore _store;
    private readonly Journal _journal = new();

    private OutboxDispatcherTests(PostgresServer? postgres) =>
        _store = new TempStore(
            (services, _) => services
                .AddSingleton<TimeProvider>(_time)
                .AddSingleton(_journal)
                .AddDomainEvents()
                .Configure<OutboxOptions>(o => o.PollInterval = TimeSpan.FromHours(1))
                .AddDomainEventHandler<PumpTripped, Recorder>()
                .AddDomainEventHandler<PumpTripped, Flaky>()
                .AddDomainEventHandler<PumpReset, Recorder>(),
            postgres);

    public sealed class OnSqlite() : OutboxDispatcherTests(postgres: null);

    [Collection(PostgreSqlCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlFixture postgres) : OutboxDispatcherTests(postgres.Server);

    private OutboxDispatcher Dispatcher => _store.Services.GetRequiredService<OutboxDispatcher>();

    public Task InitializeAsync() => _store.StartDatabaseAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Events_reach_every_handler_of_their_type_in_the_order_they_were_written()
    {
        await WriteAsync(new PumpTripped("acme", "pump-1"), new PumpReset("acme", "pump-1"), new PumpTripped("acme", "pump-2"));

        await Dispatcher.DispatchPendingAsync(CancellationToken.None);

        _journal.Calls.ToArray().Where(c => c.Handler == nameof(Recorder)).Select(c => c.What)
            .ShouldBe(["tripped pump-1", "reset pump-1", "tripped pump-2"]);
        _journal.Calls.ToArray().Where(c => c.Handler == nameof(Flaky)).Select(c => c.What).ShouldBe(["tripped pump-1", "tripped pump-2"]);
        await using var db = await _store.NewContextAsync();
        (await db.Set<DomainEventRecord>().CountAsync(e => e.DispatchedUtc == null)).ShouldBe(0);
        (await db.Set<DomainEventRecord>().OrderBy(e => e.Id).Select(e => e.TenantId).ToListAsync()).ShouldAllBe(t => t == "acme");
    }

    [Fact]
    public async Task An_event_written_in_a_transaction_that_rolls_back_is_never_stored_nor_delivered()
    {
        await using (var db = await _store.NewContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.AddDomainEvent(new PumpTripped("acme", "pump-1"));
            new AuditTrail(new Tenancy.CallerAccessor(), _time).Record(db, "acme", "pump.trip", "pump/pump-1");
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await Dispatcher.DispatchPendingAsync(CancellationToken.None);

        _journal.Calls.ShouldBeEmpty();
        await using var check = await _store.NewContextAsync();
        (await check.Set<DomainEventRecord>().CountAsync()).ShouldBe(0);
        (await check.Set<AuditEntry>().CountAsync()).ShouldBe(0, "the change and its event went together");
    }

    [Fact]
    public async Task A_failing_handler_is_retried_after_its_back_off_without_running_the_others_again_and_keeps_its_order()
    {
        _journal.FailuresLeft = 2;
        await WriteAsync(new PumpTripped("acme", "pump-1"), new PumpTripped("acme", "pump-2"));

        await Dispatcher.DispatchPendingAsync(CancellationToken.None);
        Calls(nameof(Recorder)).ShouldBe(["tripped pump-1", "tripped pump-2"]);
        Calls(nameof(Flaky)).ShouldBeEmpty("it threw on pump-1 and waits; pump-2 must not overtake it");
        Dispatcher.Failures.ShouldBe(1);

        await Dispatcher.DispatchPendingAsync(CancellationToken.None);
        Dispatcher.Failures.ShouldBe(1, "not retried before its back-off has passed");

        _time.Advance(TimeSpan.FromSeconds(1));
        await Dispatcher.DispatchPendingAsync(CancellationToken.None);
        Dispatcher.Failures.ShouldBe(2, "retried after a second, failed again");

        _time.Advance(TimeSpan.FromSeconds(1));
        await Dispatcher.DispatchPendingAsync(CancellationToken.None);
        Dispatcher.Failures.ShouldBe(2, "the second back-off is two seconds");

        _time.Advance(TimeSpan.FromSeconds(1));
        await Dispatcher.DispatchPendingAsync(CancellationToken.None);

        Calls(nameof(Flaky)).ShouldBe(["tripped pump-1", "tripped pump-2"]);
        Calls(nameof(Recorder)).ShouldBe(["tripped pump-1", "tripped pump-2"], "the handler that succeeded ran once per event");
        await using var db = await _store.NewContextAsync();
        var first = await db.Set<DomainEventRecord>().OrderBy(e => e.Id).FirstAsync();
        first.Attempts.ShouldBe(2);
        first.LastError.ShouldBe("pump controller unreachable");
        first.DispatchedUtc.ShouldNotBeNull();
    }

    [Fact]
    public async Task The_running_dispatcher_delivers_a_committed_event_at_once_without_waiting_for_its_poll()
    {
        var service = _store.Services.GetServices<IHostedService>().OfType<OutboxDispatcher>().Single();
        await service.StartAsync(CancellationToken.None);
        try
        {
            // The poll is an hour on a clock that does not move: only the commit's wake-up can deliver it.
            await WriteAsync(new PumpTripped("acme", "pump-7"));
            await Eventually.UntilAsync(_ => Task.FromResult(Calls(nameof(Recorder))), c => c.Count == 1, "the commit to wake the dispatcher");

            await using (var db = await _store.NewContextAsync())
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                db.AddDomainEvent(new PumpReset("acme", "pump-7"));
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
            }

            await Eventually.UntilAsync(_ => Task.FromResult(Calls(nameof(Recorder))), c => c.Count == 2, "the transaction's commit to wake the dispatcher");
            Calls(nameof(Recorder)).ShouldBe(["tripped pump-7", "reset pump-7"]);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private List<string> Calls(string handler) => [.. _journal.Calls.ToArray().Where(c => c.Handler == handler).Select(c => c.What)];

    private async Task WriteAsync(params IDomainEvent[] events)
    {
        foreach (var e in events)
        {
            await using var db = await _store.NewContextAsync();
            db.AddDomainEvent(e);
            await db.SaveChangesAsync();
        }
    }

    public sealed record PumpTripped(string TenantId, string PumpId) : IDomainEvent;

    public sealed record PumpReset(string TenantId, string PumpId) : IDomainEvent;

    public sealed class Journal
    {
        public ConcurrentQueue<(string Handler, string What)> Calls { get; } = new();

        public int FailuresLeft { get; set; }
    }

    public sealed class Recorder(Journal journal) : IDomainEventHandler<PumpTripped>, IDomainEventHandler<PumpReset>
    {
        public Task HandleAsync(PumpTripped e, CancellationToken ct)
        {
            journal.Calls.Enqueue((nameof(Recorder), $"tripped {e.PumpId}"));
            return Task.CompletedTask;
        }

        public Task HandleAsync(PumpReset e, CancellationToken ct)
        {
            journal.Calls.Enqueue((nameof(Recorder), $"reset {e.PumpId}"));
            return Task.CompletedTask;
        }
    }

    public sealed class Flaky(Journal journal) : IDomainEventHandler<PumpTripped>
    {
        public Task HandleAsync(PumpTripped e, CancellationToken ct)
        {
            if (journal.FailuresLeft > 0)
            {
                journal.FailuresLeft--;
                throw new InvalidOperationException("pump controller unreachable");
            }

            journal.Calls.Enqueue((nameof(Flaky), $"tripped {e.PumpId}"));
            return Task.CompletedTask;
        }
    }
}
