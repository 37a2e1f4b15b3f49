using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Tests.Infrastructure;
using PropertyEba.Testing;

namespace PropertyEba.Edge.Tests;

/// <summary>The agent against Debian's mosquitto, an external broker that is stopped and restarted under it.</summary>
public sealed class MosquittoTests : IAsyncLifetime
{
    private readonly string _bufferDirectory = TestOptions.TempDirectory();
    private MosquittoBroker _broker = null!;
    private TestDevice _device = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _device = await TestDevice.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _device.DisposeAsync();
        await _broker.DisposeAsync();
        Directory.Delete(_bufferDirectory, recursive: true);
    }

    [Fact]
    public async Task Replays_buffered_samples_in_order_after_broker_restart()
    {
        // The cloud's stand-in keeps a persistent session, so mosquitto queues for it while it is away.
        var probe = await MqttProbe.ConnectAsync(_broker.Port, "cloud-probe", persistentSession: true);
        await using var agent = new RunningAgent(TestOptions.For(_broker.Port, _bufferDirectory, _device.Port));
        await Eventually.UntilAsync(() => probe.On("telemetry").Count >= 3, "live telemetry before the outage");

        await _broker.StopAsync();
        await Eventually.UntilAsync(() => !agent.Stats.Connected, "the agent to notice the broker is gone");
        var bufferedBefore = agent.Stats.BatchesBuffered;
        // More than one replay window (32), so the windowed replay is exercised across window boundaries.
        await Eventually.UntilAsync(() => agent.Stats.BatchesBuffered >= bufferedBefore + 40, "batches buffered on disk while the broker is down");
        var pollsDuringOutage = agent.Stats.PollCycles;

        await _broker.StartAgainAsync();
        await probe.ReconnectAsync();
        await Eventually.UntilAsync(() => agent.Stats.BatchesReplayed >= 40 && agent.Stats.BatchesPublished > agent.Stats.BatchesReplayed + 3, "the buffer replayed and live data flowing again");
        var lastSeq = agent.Stats.BatchesPublished;
        await Eventually.UntilAsync(() => probe.On("telemetry").Select(m => m.Batch.Seq).Distinct().Count() >= lastSeq, $"all {lastSeq} batches at the probe");

        // Mosquitto redelivers to the probe's session, with DUP set, what it had sent the probe when it
        // went down unacknowledged: that copy is the probe's transport at work, not the agent's.
        var all = probe.On("telemetry");
        var distinct = all.Select(m => m.Batch.Seq).Distinct().Order().ToList();
        distinct.ShouldBe(Enumerable.Range(1, distinct.Count).Select(i => (long)i), "every batch arrives: no gap");
        var firstCopies = all.Where(m => !m.Dup).Select(m => m.Batch).ToList();
        firstCopies.Select(b => b.Seq).ShouldBeUnique("the agent sent no batch twice");
        firstCopies.Select(b => b.Seq).ShouldBeInOrder(SortDirection.Ascending, "the agent sent the batches in sequence order");
        var received = firstCopies;
        var replayed = received.Where(b => b.Replayed).ToList();
        replayed.Count.ShouldBeGreaterThanOrEqualTo(40);
        var firstReplayed = received.FindIndex(b => b.Replayed);
        received.Skip(firstReplayed).Take(replayed.Count).ShouldAllBe(b => b.Replayed, "the buffered batches come as one run, before newer live ones");
        replayed.Take(40).ShouldAllBe(b => b.SentUtcMs > b.Samples.Max(s => s.TimestampUtcMs), "samples read during the outage keep the time they were read, not the time they were sent");
        replayed.Select(b => b.Samples[0].TimestampUtcMs).ShouldBeInOrder(SortDirection.Ascending);
        pollsDuringOutage.ShouldBeGreaterThan(0);
        agent.Stats.BatchesDropped.ShouldBe(0);
        await probe.DisposeAsync();
    }

    [Fact]
    public async Task Buffered_batches_survive_an_agent_restart()
    {
        var options = TestOptions.For(_broker.Port, _bufferDirectory, _device.Port);
        await _broker.StopAsync();
        long bufferedByFirstRun;
        await using (var offline = new RunningAgent(options))
        {
            await Eventually.UntilAsync(() => offline.Stats.BatchesBuffered >= 5, "batches buffered while the broker is down");
            await offline.StopAsync();
            bufferedByFirstRun = offline.Stats.BatchesBuffered;
        }

        await _broker.StartAgainAsync();
        await using var probe = await MqttProbe.ConnectAsync(_broker.Port);
        await using var online = new RunningAgent(options);
        await Eventually.UntilAsync(() => probe.On("telemetry").Count >= bufferedByFirstRun + 2, "the first run's batches replayed by the second run, then live ones");

        var batches = probe.On("telemetry").Select(m => m.Batch).ToList();
        batches.Select(b => b.Seq).ShouldBe(Enumerable.Range(1, batches.Count).Select(i => (long)i));
        batches.Take((int)bufferedByFirstRun).ShouldAllBe(b => b.Replayed);
        online.Stats.BatchesReplayed.ShouldBeGreaterThanOrEqualTo(bufferedByFirstRun, "live batches read while the replay runs queue behind it, so they count as replayed too");
    }

    [Fact]
    public async Task Broker_publishes_the_retained_last_will_when_the_agent_vanishes()
    {
        await using var cutter = new TcpCutter(_broker.Port);
        var options = TestOptions.For(cutter.Port, _bufferDirectory, _device.Port);
        await using var agent = new RunningAgent(options);
        await using var probe = await MqttProbe.ConnectAsync(_broker.Port);
        await Eventually.UntilAsync(() => probe.On("status").Any(m => m.Status.State == EdgeState.Online), "the birth message");

        cutter.Cut(); // the network dies: no DISCONNECT reaches the broker

        await Eventually.UntilAsync(() => probe.On("status").LastOrDefault()?.Status.State == EdgeState.Offline, "the last will");
        await using (var late = await MqttProbe.ConnectAsync(_broker.Port))
        {
            var retained = await Eventually.UntilAsync(_ => Task.FromResult(late.On("status")), m => m.Count > 0, "the retained status");
            retained[0].Retain.ShouldBeTrue();
            retained[0].Status.State.ShouldBe(EdgeState.Offline);
            retained[0].Status.EdgeId.ShouldBe("e1");
        }

        cutter.Restore();
        await Eventually.UntilAsync(() => probe.On("status").LastOrDefault()?.Status.State == EdgeState.Online, "a new birth message after reconnecting");
    }

    [Fact]
    public async Task Drops_the_oldest_batches_when_the_buffer_is_full_and_reports_it()
    {
        var options = TestOptions.For(_broker.Port, _bufferDirectory, _device.Port);
        options.BufferMaxBytes = EdgeOptionsValidator.MinBufferBytes;
        options.PollInterval = TimeSpan.FromMilliseconds(50);
        var probe = await MqttProbe.ConnectAsync(_broker.Port, "cloud-probe", persistentSession: true);
        await _broker.StopAsync();
        await using var agent = new RunningAgent(options);
        await Eventually.UntilAsync(() => agent.Stats.BatchesDropped > 0, "the buffer to overflow", TimeSpan.FromSeconds(60));

        await _broker.StartAgainAsync();
        await probe.ReconnectAsync();
        var overflow = await Eventually.UntilAsync(
            _ => Task.FromResult(probe.On("events").Where(m => m.Event.Kind == EdgeEventKinds.BufferOverflow).ToList()),
            m => m.Count > 0,
            "the buffer-overflow event");
        overflow[0].Event.Detail.ShouldNotBeNull().ShouldContain("dropped the oldest");
        await Eventually.UntilAsync(() => agent.Stats.BatchesReplayed > 0 && probe.On("telemetry").Any(m => !m.Batch.Replayed), "replay done, live again");

        var replayed = probe.On("telemetry").Select(m => m.Batch).Where(b => b.Replayed).ToList();
        replayed[0].Seq.ShouldBeGreaterThan(1, "the oldest batches were dropped");
        replayed.Select(b => b.Seq).ShouldBe(Enumerable.Range((int)replayed[0].Seq, replayed.Count).Select(i => (long)i), "what was kept is contiguous and in order");
        await probe.DisposeAsync();
    }
}
