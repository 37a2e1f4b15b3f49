using System.Buffers;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Tests.Infrastructure;
using PropertyEba.Testing;

namespace PropertyEba.Edge.Tests;

/// <summary>The whole agent against MQTTnet's embedded broker (the cloud's default) and real Modbus TCP slaves.</summary>
public sealed class EdgeAgentTests : EmbeddedBrokerAndDeviceTests
{
    [Fact]
    public async Task Publishes_decoded_telemetry_batches_at_qos1_in_the_v1_contract()
    {
        await using var probe = await MqttProbe.ConnectAsync(Broker.Port);
        await using var agent = new RunningAgent(TestOptions.For(Broker.Port, ScratchDirectory, Device.Port));

        // (A loaded machine may time out the very first read; what matters here is a batch of good reads.)
        var batches = await Eventually.UntilAsync(
            _ => Task.FromResult(probe.On("telemetry").Where(m => m.Batch.Samples.All(s => s.Quality == SampleQuality.Good)).ToList()),
            m => m.Count >= 3,
            "three telemetry batches of good samples");

        batches[0].Topic.ShouldBe("eba/v1/t1/s1/e1/telemetry");
        var batch = batches[0].Batch;
        batch.Schema.ShouldBe(1);
        batch.EdgeId.ShouldBe("e1");
        batch.Replayed.ShouldBeFalse();
        (batch.Samples.Count % 8).ShouldBe(0, "8 points per poll cycle; a batch takes every cycle waiting when it is formed");
        batch.Samples.ShouldAllBe(s => s.DeviceId == "dev1" && s.Quality == SampleQuality.Good);
        batch.Samples.First(s => s.PointId == "temp").Value!.Value.ShouldBe(-12.5, 1e-9);
        batch.SentUtcMs.ShouldBeGreaterThanOrEqualTo(batch.Samples.Max(s => s.TimestampUtcMs));
        agent.Stats.BatchesPublished.ShouldBeGreaterThanOrEqualTo(3);
        agent.Stats.Connected.ShouldBeTrue();
    }

    [Fact]
    public async Task Drops_buffered_batches_older_than_the_age_cap_counts_them_and_publishes_live()
    {
        // A buffer left by an agent that was offline for a month: stamped thirty days ago.
        var then = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-30));
        using (var old = Buffering.DiskBuffer.Open(ScratchDirectory, 1024 * 1024, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new Buffering.DiskBufferPolicy { Time = then }))
        {
            for (var i = 0; i < 5; i++)
            {
                // Not a batch the cloud could take: were it replayed rather than expired, it would count as dropped.
                old.Append(Buffering.BufferedKind.Telemetry, "stale"u8);
            }
        }

        await using var probe = await MqttProbe.ConnectAsync(Broker.Port);
        var options = TestOptions.For(Broker.Port, ScratchDirectory, Device.Port);
        options.BufferMaxAge = TimeSpan.FromDays(7);
        await using var agent = new RunningAgent(options);

        await Eventually.UntilAsync(() => agent.Stats.BatchesExpired == 5 && probe.On("telemetry").Count >= 2, "the old batches expired and live ones published");
        // A stale record that reached the replay would have been unreadable, and counted as dropped.
        agent.Stats.BatchesDropped.ShouldBe(0, "expired before replay, and counted apart from the size cap");
    }

    [Fact]
    public async Task Polls_devices_concurrently_and_batches_their_cycles_together()
    {
        await using var second = await TestDevice.StartAsync();
        second.Store.Faults.ReplyDelay = TimeSpan.FromMilliseconds(30); // a slower device must not hold up the other
        await using var probe = await MqttProbe.ConnectAsync(Broker.Port);
        await using var agent = new RunningAgent(TestOptions.For(Broker.Port, ScratchDirectory, Device.Port, second.Port));

        await Eventually.UntilAsync(
            _ => Task.FromResult(probe.On("telemetry").Select(m => m.Batch).ToList()),
            b => b.Count(x => x.Samples.Select(s => s.DeviceId).Distinct().Count() == 2 && x.Samples.All(s => s.Quality == SampleQuality.Good)) >= 3,
            "batches carrying the same cycle of both devices, read well");
    }

    [Fact]
    public async Task Publishes_retained_birth_on_connect_and_offline_on_clean_stop()
    {
        var agent = new RunningAgent(TestOptions.For(Broker.Port, ScratchDirectory, Device.Port));
        await using (agent)
        {
            var online = await Eventually.UntilAsync(
                async _ => await Broker.Server.GetRetainedMessageAsync("eba/v1/t1/s1/e1/status"),
                m => m is not null,
                "the retained birth message");
            var birth = new ReceivedMessage(online.Topic, online.Payload.ToArray(), online.Retain, false).Status;
            birth.State.ShouldBe(EdgeState.Online);
            birth.EdgeId.ShouldBe("e1");
            birth.AgentVersion.ShouldNotBeNullOrEmpty();

            await agent.StopAsync();
        }

        var retained = await Broker.Server.GetRetainedMessageAsync("eba/v1/t1/s1/e1/status");
        new ReceivedMessage(retained.Topic, retained.Payload.ToArray(), true, false).Status.State.ShouldBe(EdgeState.Offline);

        // A newcomer (the cloud after a restart) learns the state from the retained message alone.
        await using var late = await MqttProbe.ConnectAsync(Broker.Port);
        var seen = await Eventually.UntilAsync(_ => Task.FromResult(late.On("status")), m => m.Count > 0, "the retained status");
        seen[0].Retain.ShouldBeTrue();
        seen[0].Status.State.ShouldBe(EdgeState.Offline);
    }

    [Fact]
    public async Task Sequence_numbers_increase_by_one_and_continue_after_a_restart()
    {
        await using var probe = await MqttProbe.ConnectAsync(Broker.Port);
        var options = TestOptions.For(Broker.Port, ScratchDirectory, Device.Port);
        await using (var first = new RunningAgent(options))
        {
            await Eventually.UntilAsync(() => probe.On("telemetry").Count >= 5, "five batches from the first run");
        }

        var firstRun = probe.On("telemetry").Select(m => m.Batch.Seq).ToList();
        firstRun.ShouldBe(Enumerable.Range(1, firstRun.Count).Select(i => (long)i), "the first run numbers its batches 1, 2, 3...");

        await using (var second = new RunningAgent(options))
        {
            await Eventually.UntilAsync(() => probe.On("telemetry").Count >= firstRun.Count + 5, "five batches from the second run");
        }

        var all = probe.On("telemetry").Select(m => m.Batch.Seq).ToList();
        all.ShouldBe(Enumerable.Range(1, all.Count).Select(i => (long)i), "the second run continues where the first stopped, with no gap and no repeat");
    }

    [Fact]
    public async Task Keeps_batches_the_broker_refuses_and_delivers_them_in_order_once_it_accepts()
    {
        var refusing = 1;
        Broker.Server.InterceptingPublishAsync += e =>
        {
            if (Volatile.Read(ref refusing) == 1 && e.ApplicationMessage.Topic.EndsWith("/telemetry", StringComparison.Ordinal))
            {
                // As a broker whose ACL denies the topic answers: PUBACK with "not authorized".
                e.ProcessPublish = false;
                e.Response.ReasonCode = MQTTnet.Protocol.MqttPubAckReasonCode.NotAuthorized;
            }

            return Task.CompletedTask;
        };
        await using var probe = await MqttProbe.ConnectAsync(Broker.Port);
        await using var agent = new RunningAgent(TestOptions.For(Broker.Port, ScratchDirectory, Device.Port));
        await Eventually.UntilAsync(() => agent.Stats.BatchesBuffered >= 5, "refused batches kept in the buffer");
        probe.On("telemetry").ShouldBeEmpty();

        Volatile.Write(ref refusing, 0);
        await Eventually.UntilAsync(() => agent.Stats.BatchesReplayed >= 5 && probe.On("telemetry").Any(m => !m.Batch.Replayed), "the refused batches delivered, then live ones");

        var seqs = probe.On("telemetry").Select(m => m.Batch.Seq).ToList();
        seqs.ShouldBe(Enumerable.Range(1, seqs.Count).Select(i => (long)i), "nothing refused is lost, nothing is sent twice");
        agent.Stats.BatchesDropped.ShouldBe(0);
    }

    [Fact]
    public async Task Moves_readings_to_the_disk_buffer_while_a_slow_broker_holds_its_pubacks_and_loses_none()
    {
        // A broker that takes messages but acknowledges none for a while, as a cloud under overload does (it holds
        // the PUBACK until the batch is stored). Ten devices polled every 50 ms produce 200 readings a second, so the
        // agent's in-memory queue of 1,024 readings would overflow within six seconds of a stalled PUBACK.
        var stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stall.SetResult();
        Broker.Server.InterceptingPublishAsync += async e =>
        {
            if (e.ApplicationMessage.Topic.EndsWith("/telemetry", StringComparison.Ordinal))
            {
                await Volatile.Read(ref stall).Task;
            }
        };
        await using var probe = await MqttProbe.ConnectAsync(Broker.Port);
        var options = TestOptions.For(Broker.Port, ScratchDirectory, Enumerable.Repeat(Device.Port, 10).ToArray());
        options.PollInterval = TimeSpan.FromMilliseconds(50);
        options.Mqtt.OperationTimeout = TimeSpan.FromSeconds(60); // slow, not broken: no publish gives up
        await using var agent = new RunningAgent(options);
        await Eventually.UntilAsync(() => agent.Stats.BatchesPublished >= 3, "live batches before the broker slows down");

        Volatile.Write(ref stall, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var readsBefore = agent.Stats.PollCycles;
        await Eventually.UntilAsync(() => agent.Stats.PollCycles >= readsBefore + 2_500, "2,500 readings while no PUBACK comes", TimeSpan.FromSeconds(60));
        agent.Stats.ReadingsDropped.ShouldBe(0, "readings waiting for a slow PUBACK go to the disk buffer, not out of a full queue");
        agent.Stats.BatchesBuffered.ShouldBeGreaterThan(0, "the disk buffer holds what the broker has not acknowledged");

        stall.SetResult();
        await Eventually.UntilAsync(
            () => agent.Stats.BatchesReplayed == agent.Stats.BatchesBuffered && probe.On("telemetry").Any(m => !m.Batch.Replayed && m.Batch.Seq > agent.Stats.BatchesBuffered),
            "the buffer drained once the broker acknowledges again, then live batches",
            TimeSpan.FromSeconds(60));
        await agent.StopAsync();

        // The last batches were acknowledged before the agent stopped; the broker forwards them to the probe a moment later.
        static long GoodSamples(IEnumerable<TelemetryBatch> batches) => batches.Sum(b => (long)b.Samples.Count(s => s.Quality == SampleQuality.Good));
        List<TelemetryBatch> Received() => probe.On("telemetry").Select(m => m.Batch).DistinctBy(b => b.Seq).OrderBy(b => b.Seq).ToList();
        await Eventually.UntilAsync(() => GoodSamples(Received()) >= agent.Stats.SamplesRead, "the probe to receive the last batches", TimeSpan.FromSeconds(15));
        var received = Received();
        received.Select(b => b.Seq).ShouldBe(Enumerable.Range(1, received.Count).Select(i => (long)i), "every batch arrives, none is missing");
        GoodSamples(received).ShouldBe(agent.Stats.SamplesRead, "every sample read is delivered, once");
        agent.Stats.ReadingsDropped.ShouldBe(0);
        agent.Stats.BatchesDropped.ShouldBe(0);
    }

    [Fact]
    public async Task Publishes_comm_lost_and_restored_events_and_comm_lost_samples_when_a_slave_stops_answering()
    {
        await using var probe = await MqttProbe.ConnectAsync(Broker.Port);
        await using var agent = new RunningAgent(TestOptions.For(Broker.Port, ScratchDirectory, Device.Port));
        await Eventually.UntilAsync(() => probe.On("telemetry").Count > 0, "telemetry while the device answers");

        Device.Store.Faults.NoReply = true;
        var events = await Eventually.UntilAsync(
            _ => Task.FromResult(probe.On("events")), m => m.Any(e => e.Event.Kind == EdgeEventKinds.DeviceCommLost), "device-comm-lost");
        events[0].Event.Kind.ShouldBe(EdgeEventKinds.DeviceCommRestored, "the device's first answer after the start is reported first");
        var lostMessage = events.First(e => e.Event.Kind == EdgeEventKinds.DeviceCommLost);
        var lost = lostMessage.Event;
        lost.DeviceId.ShouldBe("dev1");
        lostMessage.Topic.ShouldBe("eba/v1/t1/s1/e1/events");
        probe.On("telemetry").Select(m => m.Batch).Where(b => b.Samples.All(s => s.TimestampUtcMs >= lost.TimestampUtcMs - 2000))
            .SelectMany(b => b.Samples).ShouldContain(s => s.Quality == SampleQuality.CommLost && s.Value == null);

        Device.Store.Faults.NoReply = false;
        await Eventually.UntilAsync(
            () => probe.On("events").SkipWhile(m => m.Event.Kind != EdgeEventKinds.DeviceCommLost).Any(m => m.Event.Kind == EdgeEventKinds.DeviceCommRestored),
            "device-comm-restored after the loss");
        await Eventually.UntilAsync(
            () => probe.On("telemetry").Last().Batch.Samples.All(s => s.Quality == SampleQuality.Good),
            "good samples again");
        agent.Stats.ReadErrors.ShouldBeGreaterThan(0);
    }
}
