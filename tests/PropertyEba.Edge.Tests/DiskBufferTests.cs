using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
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
        const int appended = 1000; // 209 bytes each: about three times the cap
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
}
