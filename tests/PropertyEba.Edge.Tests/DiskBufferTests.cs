using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PropertyEba.Edge.Buffering;
using PropertyEba.Edge.Tests.Infrastructure;

namespace PropertyEba.Edge.Tests;

public sealed class DiskBufferTests : IDisposable
{
    private readonly string _directory = TestOptions.TempDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] Payload(long n, int size = 200)
    {
        var bytes = new byte[size];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, n);
        return bytes;
    }

    private static List<long> DrainAll(DiskBuffer buffer)
    {
        var seen = new List<long>();
        while (buffer.TryPeek(out var record))
        {
            seen.Add(BinaryPrimitives.ReadInt64LittleEndian(record.Payload));
            buffer.Acknowledge(record.Kind);
        }

        return seen;
    }

    [Fact]
    public void Returns_records_in_order_and_removes_them_only_when_acknowledged()
    {
        using var buffer = DiskBuffer.Open(_directory, 1024 * 1024, NullLogger.Instance);
        for (var i = 1; i <= 100; i++)
        {
            buffer.Append(BufferedKind.Telemetry, Payload(i)).Any.ShouldBeFalse();
        }

        buffer.TryPeek(out var first).ShouldBeTrue();
        buffer.TryPeek(out var again).ShouldBeTrue();
        BinaryPrimitives.ReadInt64LittleEndian(again.Payload).ShouldBe(BinaryPrimitives.ReadInt64LittleEndian(first.Payload), "peeking twice without acknowledging returns the same record");
        var window = buffer.PeekMany(10);
        window.Select(r => BinaryPrimitives.ReadInt64LittleEndian(r.Payload)).ShouldBe(Enumerable.Range(1, 10).Select(i => (long)i));
        for (var i = 0; i < 5; i++)
        {
            buffer.Acknowledge(window[i].Kind); // only the first half of the window was acknowledged
        }

        buffer.Count.ShouldBe(95);
        DrainAll(buffer).ShouldBe(Enumerable.Range(6, 95).Select(i => (long)i));
        buffer.IsEmpty.ShouldBeTrue();
        Directory.GetFiles(_directory, "*.seg").ShouldBeEmpty("an empty buffer leaves no segment files");
    }

    [Fact]
    public void Drops_the_oldest_batches_when_full_and_counts_them()
    {
        const long cap = 64 * 1024;
        using var buffer = DiskBuffer.Open(_directory, cap, NullLogger.Instance);
        long dropped = 0;
        const int appended = 1000; // 217 bytes each: about three times the cap
        for (var i = 1; i <= appended; i++)
        {
            dropped += buffer.Append(BufferedKind.Telemetry, Payload(i)).Telemetry;
            buffer.SizeBytes.ShouldBeLessThanOrEqualTo(cap);
        }

        dropped.ShouldBeGreaterThan(600);
        buffer.Count.ShouldBe(appended - dropped);
        var kept = DrainAll(buffer);
        kept.Count.ShouldBe((int)(appended - dropped));
        kept.ShouldBe(Enumerable.Range((int)dropped + 1, kept.Count).Select(i => (long)i), "the newest are kept, in order; the oldest went");
    }

    [Fact]
    public void Keeps_unacknowledged_records_across_a_restart()
    {
        using (var buffer = DiskBuffer.Open(_directory, 1024 * 1024, NullLogger.Instance))
        {
            for (var i = 1; i <= 50; i++)
            {
                buffer.Append(i % 10 == 0 ? BufferedKind.Event : BufferedKind.Telemetry, Payload(i));
            }

            for (var i = 1; i <= 20; i++)
            {
                buffer.TryPeek(out var r).ShouldBeTrue();
                buffer.Acknowledge(r.Kind);
            }

            buffer.TryPeek(out _).ShouldBeTrue(); // peeked, never acknowledged: must come back
        }

        using var reopened = DiskBuffer.Open(_directory, 1024 * 1024, NullLogger.Instance);
        reopened.Count.ShouldBe(30);
        reopened.Append(BufferedKind.Telemetry, Payload(51));
        DrainAll(reopened).ShouldBe(Enumerable.Range(21, 31).Select(i => (long)i));
    }

    [Fact]
    public void Cuts_off_a_torn_record_left_by_a_power_cut()
    {
        using (var buffer = DiskBuffer.Open(_directory, 1024 * 1024, NullLogger.Instance))
        {
            for (var i = 1; i <= 5; i++)
            {
                buffer.Append(BufferedKind.Telemetry, Payload(i));
            }
        }

        var segment = Directory.GetFiles(_directory, "*.seg").ShouldHaveSingleItem();
        using (var stream = new FileStream(segment, FileMode.Open))
        {
            stream.SetLength(stream.Length - 50); // the last record is only half written
        }

        using var reopened = DiskBuffer.Open(_directory, 1024 * 1024, NullLogger.Instance);
        reopened.Count.ShouldBe(4);
        reopened.Append(BufferedKind.Telemetry, Payload(6));
        DrainAll(reopened).ShouldBe([1, 2, 3, 4, 6]);
    }

    [Fact]
    public void Refuses_a_second_agent_on_the_same_buffer()
    {
        using var first = DiskBuffer.Open(_directory, 1024 * 1024, NullLogger.Instance);
        var ex = Should.Throw<IOException>(() => DiskBuffer.Open(_directory, 1024 * 1024, NullLogger.Instance));
        ex.Message.ShouldContain("in use by another edge agent");
    }

    [Fact]
    public void Gives_up_a_segment_removed_under_it_and_goes_on_with_the_next()
    {
        using var buffer = DiskBuffer.Open(_directory, 64 * 1024, NullLogger.Instance); // 8 KiB segments
        for (var i = 1; i <= 60; i++)
        {
            buffer.Append(BufferedKind.Telemetry, Payload(i));
        }

        var segments = Directory.GetFiles(_directory, "*.seg").Order(StringComparer.Ordinal).ToList();
        segments.Count.ShouldBeGreaterThan(1);
        File.Delete(segments[0]);

        Should.Throw<IOException>(() => buffer.PeekMany(10));
        var lost = buffer.DiscardOldestSegment();

        lost.Telemetry.ShouldBeGreaterThan(0);
        var rest = DrainAll(buffer);
        rest.Count.ShouldBe((int)(60 - lost.Telemetry));
        rest.ShouldBe(Enumerable.Range((int)lost.Telemetry + 1, rest.Count).Select(i => (long)i));
    }

    [Fact]
    public void Drops_records_older_than_the_age_cap_oldest_first_and_counts_them()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var policy = new DiskBufferPolicy { Time = time, MaxAge = TimeSpan.FromHours(1) };
        using var buffer = DiskBuffer.Open(_directory, 64 * 1024, NullLogger.Instance, policy); // 8 KiB segments: several
        for (var i = 1; i <= 200; i++)
        {
            buffer.Append(i % 50 == 0 ? BufferedKind.Event : BufferedKind.Telemetry, Payload(i));
            time.Advance(TimeSpan.FromMinutes(1)); // record i is buffered at minute i - 1
        }

        Directory.GetFiles(_directory, "*.seg").Length.ShouldBeGreaterThan(2, "the cap must cross whole segments and cut into one");

        // Now minute 200: the cutoff is minute 140, so records 1..140 (buffered at minutes 0..139) are too old.
        var expired = buffer.DropExpired();
        expired.Telemetry.ShouldBe(140 - 2); // 50 and 100 are events
        expired.Events.ShouldBe(2);
        buffer.Count.ShouldBe(60);
        buffer.DropExpired().Any.ShouldBeFalse("nothing more is due until time passes");

        time.Advance(TimeSpan.FromMinutes(10));
        buffer.DropExpired().ShouldBe(new DropCount(9, 1)); // 141..150; 150 is an event
        DrainAll(buffer).ShouldBe(Enumerable.Range(151, 50).Select(i => (long)i), "the newest are kept, in order");
    }

    [Fact]
    public void Ages_records_across_a_restart_by_when_they_were_buffered()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var policy = new DiskBufferPolicy { Time = time, MaxAge = TimeSpan.FromDays(1) };
        using (var buffer = DiskBuffer.Open(_directory, 1024 * 1024, NullLogger.Instance, policy))
        {
            for (var i = 1; i <= 10; i++)
            {
                buffer.Append(BufferedKind.Telemetry, Payload(i));
                time.Advance(TimeSpan.FromHours(3));
            }
        }

        // Reopened at hour 30: records 1 and 2 (hours 0 and 3) are older than a day; 3 (hour 6) is just a day old and stays.
        using var reopened = DiskBuffer.Open(_directory, 1024 * 1024, NullLogger.Instance, policy);
        reopened.Count.ShouldBe(10);
        reopened.DropExpired().Telemetry.ShouldBe(2);
        DrainAll(reopened).ShouldBe(Enumerable.Range(3, 8).Select(i => (long)i));
    }

    [Fact]
    public void Syncs_a_burst_of_appends_at_most_once_per_interval()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var policy = new DiskBufferPolicy { Time = time, SyncInterval = TimeSpan.FromSeconds(1) };
        using (var buffer = DiskBuffer.Open(_directory, 4 * 1024 * 1024, NullLogger.Instance, policy))
        {
            // A burst within one instant: the first append is synced, the rest wait for the interval.
            for (var i = 1; i <= 1000; i++)
            {
                buffer.Append(BufferedKind.Telemetry, Payload(i, size: 50));
            }

            buffer.SyncCount.ShouldBe(1);

            // The burst stops: the timer syncs the unsynced tail one interval later, without another append.
            time.Advance(TimeSpan.FromSeconds(1));
            buffer.SyncCount.ShouldBe(2);
            time.Advance(TimeSpan.FromSeconds(10));
            buffer.SyncCount.ShouldBe(2, "nothing new: no sync");

            // Five seconds of 1,000 appends a second: about one sync a second, not one per append.
            for (var i = 1001; i <= 6000; i++)
            {
                buffer.Append(BufferedKind.Telemetry, Payload(i, size: 50));
                time.Advance(TimeSpan.FromMilliseconds(1));
            }

            (buffer.SyncCount - 2).ShouldBeInRange(5, 6, "at most one sync per interval (plus the first)");
            var before = buffer.SyncCount;
            time.Advance(TimeSpan.FromSeconds(2));
            buffer.SyncCount.ShouldBeLessThanOrEqualTo(before + 1);
        }

        using var reopened = DiskBuffer.Open(_directory, 4 * 1024 * 1024, NullLogger.Instance, policy);
        reopened.Count.ShouldBe(6000);
        DrainAll(reopened).ShouldBe(Enumerable.Range(1, 6000).Select(i => (long)i));
    }

    [Fact]
    public void Syncs_the_unsynced_tail_when_disposed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var policy = new DiskBufferPolicy { Time = time, SyncInterval = TimeSpan.FromMinutes(1) };
        var buffer = DiskBuffer.Open(_directory, 1024 * 1024, NullLogger.Instance, policy);
        for (var i = 1; i <= 100; i++)
        {
            buffer.Append(BufferedKind.Telemetry, Payload(i));
        }

        buffer.SyncCount.ShouldBe(1, "only the first append of the interval is synced at once");
        buffer.Dispose();
        buffer.SyncCount.ShouldBe(2, "the stop flushes the rest");
    }

    [Fact]
    public void Reads_records_written_without_a_buffered_time_and_ages_them_from_the_opening()
    {
        // A segment as an agent before the age cap wrote it: [u32 length][u32 crc32][u8 kind][payload].
        var payload = Payload(7);
        var record = new byte[9 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payload.Length);
        record[8] = (byte)BufferedKind.Telemetry;
        payload.CopyTo(record, 9);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.Compute(record.AsSpan(8)));
        File.WriteAllBytes(Path.Combine(_directory, "000000000001.seg"), record);

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        using var buffer = DiskBuffer.Open(_directory, 1024 * 1024, NullLogger.Instance, new DiskBufferPolicy { Time = time, MaxAge = TimeSpan.FromHours(1) });
        buffer.Count.ShouldBe(1);
        buffer.DropExpired().Any.ShouldBeFalse("it counts as buffered when the buffer was opened");
        buffer.TryPeek(out var read).ShouldBeTrue();
        read.Kind.ShouldBe(BufferedKind.Telemetry);
        read.Payload.ShouldBe(payload);
        time.Advance(TimeSpan.FromHours(2));
        buffer.DropExpired().Telemetry.ShouldBe(1);
        buffer.IsEmpty.ShouldBeTrue();
    }
}
