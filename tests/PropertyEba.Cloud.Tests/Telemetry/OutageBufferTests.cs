using System.Text;
using PropertyEba.Cloud.Telemetry.InfluxDb;

namespace PropertyEba.Cloud.Tests.Telemetry;

public sealed class OutageBufferTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("outage-buffer-").FullName;

    [Fact]
    public void Returns_records_oldest_first_across_segments_and_resumes_after_the_cursor_when_reopened()
    {
        using (var buffer = OutageBuffer.Open(_dir, 1 << 20, segmentMaxBytes: 64))
        {
            for (var i = 0; i < 10; i++)
            {
                buffer.Append(Encoding.UTF8.GetBytes($"record {i}\n"), points: 1);
            }

            buffer.Points.ShouldBe(10);
            var first = buffer.Peek(maxPoints: 3);
            first.Select(Text).ShouldBe(["record 0\n", "record 1\n", "record 2\n"]);
            buffer.Advance(first);
            buffer.Points.ShouldBe(7);
        }

        using var reopened = OutageBuffer.Open(_dir, 1 << 20, segmentMaxBytes: 64);
        reopened.Points.ShouldBe(7);
        reopened.Append("record 10\n"u8, points: 1);
        var rest = reopened.Peek(maxPoints: 100);
        rest.Select(Text).ShouldBe([.. Enumerable.Range(3, 8).Select(i => $"record {i}\n")]);
        reopened.Advance(rest);
        reopened.IsEmpty.ShouldBeTrue();
        Directory.GetFiles(_dir, "*.seg").Length.ShouldBeLessThanOrEqualTo(1, "fully written segments are deleted");
    }

    [Fact]
    public void A_torn_record_at_the_end_is_cut_off_on_open_and_the_rest_kept()
    {
        using (var buffer = OutageBuffer.Open(_dir, 1 << 20))
        {
            buffer.Append("good one\n"u8, points: 4);
            buffer.Append("good two\n"u8, points: 5);
        }

        var segment = Directory.GetFiles(_dir, "*.seg").ShouldHaveSingleItem();
        var bytes = File.ReadAllBytes(segment);
        File.WriteAllBytes(segment, bytes[..^3]);

        using var reopened = OutageBuffer.Open(_dir, 1 << 20);
        reopened.CorruptRecordsDropped.ShouldBe(1);
        reopened.Points.ShouldBe(4);
        reopened.Peek(100).Select(Text).ShouldBe(["good one\n"]);
    }

    [Fact]
    public void A_record_with_a_wrong_crc_is_not_replayed()
    {
        using (var buffer = OutageBuffer.Open(_dir, 1 << 20))
        {
            buffer.Append("good\n"u8, points: 1);
            buffer.Append("flipped\n"u8, points: 1);
        }

        var segment = Directory.GetFiles(_dir, "*.seg").ShouldHaveSingleItem();
        var bytes = File.ReadAllBytes(segment);
        bytes[^2] ^= 0x20;
        File.WriteAllBytes(segment, bytes);

        using var reopened = OutageBuffer.Open(_dir, 1 << 20);
        reopened.Peek(100).Select(Text).ShouldBe(["good\n"]);
    }

    [Fact]
    public void Has_room_up_to_its_cap_and_again_after_records_are_written()
    {
        using var buffer = OutageBuffer.Open(_dir, maxBytes: 100);
        buffer.HasRoom(80).ShouldBeTrue();
        buffer.Append(new byte[80], points: 1);
        buffer.HasRoom(80).ShouldBeFalse();
        buffer.Advance(buffer.Peek(10));
        buffer.HasRoom(80).ShouldBeTrue();
    }

    private static string Text(BufferedWrite w) => Encoding.UTF8.GetString(w.LineProtocol);

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
