using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Cloud.Telemetry.InfluxDb;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Telemetry;

[Collection(InfluxCollection.Name)]
public sealed class InfluxDbTelemetryStoreTests(InfluxFixture influx)
{
    private static readonly DateTimeOffset Day = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Tags_with_commas_equals_signs_spaces_quotes_and_unicode_round_trip_through_influxd()
    {
        await using var harness = await InfluxStoreHarness.StartAsync(influx.Server.Url, "escaping");
        var tricky = new SeriesKey("t,1=a b", "阳光 花园", "pump 'A', \"main\"", @"p\x=1");
        var plain = new SeriesKey("t,1=a b", "阳光 花园", "pump 'A', \"main\"", "p");
        await harness.Store.AppendAsync([new(tricky, new(Day.ToUnixTimeMilliseconds(), 1.5, 0)), new(plain, new(Day.ToUnixTimeMilliseconds(), 9, 0))], CancellationToken.None);

        var back = await harness.Store.QueryAsync(tricky, Day, Day.AddDays(1), 10, CancellationToken.None);

        back.ShouldHaveSingleItem().Value.ShouldBe(1.5);
    }

    [Fact]
    public async Task An_append_larger_than_a_batch_goes_in_several_concurrent_requests_and_is_stored_whole()
    {
        await using var harness = await InfluxStoreHarness.StartAsync(influx.Server.Url, "chunks", o =>
        {
            o.BatchSize = 1000;
            o.WriteConcurrency = 3;
        });
        var key = new SeriesKey("chunks-" + Guid.NewGuid().ToString("N")[..8], "s", "meter", "power");
        await harness.Store.AppendAsync([.. Enumerable.Range(0, 4500).Select(i => new SeriesSample(key, new(Day.ToUnixTimeMilliseconds() + i, i, 0)))], CancellationToken.None);

        var all = await harness.Store.QueryAsync(key, Day, Day.AddDays(1), int.MaxValue, CancellationToken.None);

        all.Select(s => s.Value!.Value).ShouldBe([.. Enumerable.Range(0, 4500).Select(i => (double)i)]);
        harness.Store.Written.ShouldBe(4500);
    }

    [Fact]
    public async Task Creates_the_database_at_start_when_it_is_missing()
    {
        var database = "created_" + Guid.NewGuid().ToString("N")[..8];
        await using var harness = await InfluxStoreHarness.StartAsync(influx.Server.Url, database);

        var databases = await harness.Client.QueryAsync("SHOW DATABASES", CancellationToken.None);

        databases.SelectMany(s => s.Values).Select(r => (string?)r[0]).ShouldContain(database);
        (await harness.Client.PingAsync(CancellationToken.None)).ShouldStartWith("1.");
    }

    [Fact]
    public async Task A_sample_influxd_refuses_fails_the_append_with_influxds_reason_is_counted_and_not_retried_into_the_buffer()
    {
        var database = "conflict_" + Guid.NewGuid().ToString("N")[..8];
        await using var harness = await InfluxStoreHarness.StartAsync(influx.Server.Url, database);

        // A string "value" first makes every float "value" of that shard a field type conflict (HTTP 400).
        await harness.Client.WriteAsync(Encoding.UTF8.GetBytes($"telemetry,device=d,point=p,site=s,tenant=t value=\"text\" {Day.ToUnixTimeMilliseconds()}\n"), CancellationToken.None);
        var key = new SeriesKey("t", "s", "d", "p");

        var ex = await Should.ThrowAsync<InfluxDbRejectedException>(() => harness.Store.AppendAsync([new(key, new(Day.ToUnixTimeMilliseconds() + 1000, 2.5, 0))], CancellationToken.None));

        ex.Message.ShouldContain("field type conflict");
        ex.Message.ShouldContain("400");
        harness.Store.Failed.ShouldBe(1);
        harness.Store.Buffered.ShouldBe(0);
        harness.Store.BufferedPending.ShouldBe(0);
    }

    [Fact]
    public async Task A_full_buffer_makes_appends_wait_and_then_refuse_with_a_counted_reason_and_what_was_buffered_is_written_later_in_order()
    {
        var buffer = Directory.CreateTempSubdirectory("influx-buffer-").FullName;
        var database = "full_" + Guid.NewGuid().ToString("N")[..8];
        var key = new SeriesKey("t", "s", "meter", "energy");
        long accepted = 0;
        try
        {
            // Nothing listens on this port: every write is a network error, so every accepted sample is in the buffer.
            await using (var down = await InfluxStoreHarness.StartAsync($"http://127.0.0.1:{FreePort.Next()}", database, o =>
                         {
                             o.BufferMaxBytes = 1 << 20;
                             o.BufferFullWait = TimeSpan.FromMilliseconds(300);
                         }, buffer))
            {
                Exception? refused = null;
                for (var batch = 0; batch < 100 && refused is null; batch++)
                {
                    var samples = Enumerable.Range(0, 1000).Select(i => new SeriesSample(key, new(Day.ToUnixTimeMilliseconds() + (batch * 1000L) + i, (batch * 1000) + i, 0))).ToList();
                    var clock = Stopwatch.StartNew();
                    try
                    {
                        await down.Store.AppendAsync(samples, CancellationToken.None);
                        accepted += samples.Count;
                    }
                    catch (InvalidOperationException ex)
                    {
                        refused = ex;
                        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250), "a full buffer first waits for the drain");
                    }
                }

                refused.ShouldNotBeNull().Message.ShouldContain("outage buffer is full");
                down.Store.Failed.ShouldBe(1000);
                down.Store.BufferedPending.ShouldBe(accepted);
                accepted.ShouldBeGreaterThan(0);
            }

            // The next run, with influxd reachable, writes what the last one accepted.
            await using var up = await InfluxStoreHarness.StartAsync(influx.Server.Url, database, bufferDirectory: buffer);
            await Eventually.UntilAsync(() => up.Store.BufferedPending == 0, "the buffer to drain", TimeSpan.FromSeconds(60));
            var all = await up.Store.QueryAsync(key, Day, Day.AddDays(1), int.MaxValue, CancellationToken.None);
            all.Count.ShouldBe((int)accepted);
            all.Select(s => s.Value!.Value).ShouldBe([.. Enumerable.Range(0, (int)accepted).Select(i => (double)i)]);
        }
        finally
        {
            Directory.Delete(buffer, recursive: true);
        }
    }

    [Fact]
    public async Task Every_accepted_sample_is_stored_exactly_once_after_influxd_was_down_for_60_seconds()
    {
        await using var server = await InfluxServer.StartAsync();
        await using var harness = await InfluxStoreHarness.StartAsync(server.Url, "outage");
        var series = Enumerable.Range(0, 20).Select(i => new SeriesKey("outage", "site", $"meter-{i:D2}", "energy")).ToArray();
        var accepted = new ConcurrentDictionary<SeriesKey, ConcurrentQueue<StoredSample>>();
        var refused = 0L;
        long AcceptedCount() => accepted.Values.Sum(q => (long)q.Count);
        using var stop = new CancellationTokenSource();

        // Steady load: 2 publishers, 100 samples every 50 ms each (about 4,000 samples/s), every value unique, like ingestion.
        async Task PublishAsync(int publisher)
        {
            var seq = 0L;
            while (!stop.IsCancellationRequested)
            {
                var batch = new List<SeriesSample>(100);
                for (var i = 0; i < 100; i++, seq++)
                {
                    var key = series[(int)(seq % series.Length)];
                    var ts = Day.ToUnixTimeMilliseconds() + (seq * 2) + publisher;
                    batch.Add(new(key, new StoredSample(ts, (publisher * 1e9) + seq, 0)));
                }

                try
                {
                    await harness.Store.AppendAsync(batch, CancellationToken.None);
                    foreach (var s in batch)
                    {
                        accepted.GetOrAdd(s.Key, _ => new()).Enqueue(s.Sample);
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref refused);
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }

        var publishers = new[] { Task.Run(() => PublishAsync(0)), Task.Run(() => PublishAsync(1)) };
        await Task.Delay(TimeSpan.FromSeconds(5));
        var beforeOutage = harness.Store.Written;
        await server.StopAsync();
        var acceptedAtOutage = AcceptedCount();
        await Task.Delay(TimeSpan.FromSeconds(60));
        var bufferedDuringOutage = harness.Store.BufferedPending;
        var acceptedDuringOutage = AcceptedCount() - acceptedAtOutage;
        await server.StartAgainAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));

        // The publishers are paced, but a loaded 2-core machine slows them: they go on after the restart until the
        // run has the volume asserted below (155,400 in 70 s was seen in CI), instead of stopping on the clock.
        await Eventually.UntilAsync(() => AcceptedCount() > 200_000, "200,000 accepted samples", TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(publishers);
        await Eventually.UntilAsync(() => harness.Store.BufferedPending == 0, "the outage buffer to drain", TimeSpan.FromSeconds(120));

        beforeOutage.ShouldBeGreaterThan(0);
        bufferedDuringOutage.ShouldBeGreaterThan(100_000, "about 60 s × 4,000 samples/s were accepted into the buffer");
        refused.ShouldBe(0);
        acceptedDuringOutage.ShouldBeGreaterThan(100_000, "appends during the outage return once on disk, not when influxd is back");
        harness.Store.Failed.ShouldBe(0);

        var counts = await harness.Client.QueryAsync(
            $"SELECT COUNT(\"value\"), SUM(\"value\") FROM \"telemetry\" WHERE \"tenant\" = 'outage' GROUP BY \"device\"", CancellationToken.None);
        var total = accepted.Values.Sum(q => q.Count);
        total.ShouldBeGreaterThan(200_000);
        counts.Sum(s => (long)s.Values.Single()[1]!).ShouldBe(total, "every accepted sample is in influxd once");
        foreach (var s in counts)
        {
            var key = series.Single(k => k.DeviceId == s.Tags["device"]);
            var expected = accepted[key].ToArray();
            ((long)s.Values.Single()[1]!).ShouldBe(expected.Length, key.ToString());
            Convert.ToDouble(s.Values.Single()[2], CultureInfo.InvariantCulture).ShouldBe(expected.Sum(e => e.Value!.Value), 1e-3 * expected.Length, key.ToString());
        }

        // One series sample by sample: the same times and values, nothing more.
        var one = series[7];
        var stored = await harness.Store.QueryAsync(one, Day, Day.AddDays(30), int.MaxValue, CancellationToken.None);
        stored.Select(s => (s.TimestampUtcMs, s.Value)).ShouldBe([.. accepted[one].OrderBy(s => s.TimestampUtcMs).Select(s => (s.TimestampUtcMs, s.Value))]);
    }
}
