using System.Buffers.Binary;
using System.Globalization;

namespace PropertyEba.Cloud.Telemetry.InfluxDb;

/// <summary>One buffered write: line protocol of <see cref="Points"/> points.</summary>
internal sealed record BufferedWrite(byte[] LineProtocol, int Points, long SegmentId, long EndOffset);

/// <summary>
/// Where accepted samples wait while influxd is away: a FIFO of records in append-only segment files
/// (<c>000000000001.seg</c>, ...), each record <c>[u32 length][u32 crc32][u32 points][line protocol]</c>
/// little-endian, flushed to disk before <see cref="Append"/> returns, so what ingestion acknowledged
/// survives a crash. A cursor file marks what influxd has accepted; fully written segments are deleted.
/// Its size is capped (<see cref="HasRoom"/>): the store waits, then refuses, rather than dropping.
/// A torn record at the end (power cut mid-write) fails its length or CRC check and is cut off on open.
/// </summary>
/// <remarks>
/// One appender (the store's writer loop) and one reader (its drain loop) at a time. A cursor update
/// lost in a crash makes the drain send a record again: influxd keeps one point per series and
/// timestamp, so the repeat overwrites the same value instead of adding a sample.
/// </remarks>
internal sealed class OutageBuffer : IDisposable
{
    private const int HeaderSize = 12;
    private const string Extension = ".seg";
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly long _segmentMaxBytes;
    private readonly Lock _gate = new();
    private readonly List<long> _segments = [];
    private readonly Dictionary<long, long> _segmentLengths = [];
    private readonly string _cursorPath;
    private FileStream? _writer;
    private long _writerSegment;
    private long _readSegment;
    private long _readOffset;
    private long _points;
    private long _bytes;

    private OutageBuffer(string directory, long maxBytes, long segmentMaxBytes)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _segmentMaxBytes = segmentMaxBytes;
        _cursorPath = Path.Combine(directory, "cursor");
    }

    /// <summary>Points waiting to be written.</summary>
    public long Points
    {
        get
        {
            lock (_gate)
            {
                return _points;
            }
        }
    }

    /// <summary>Bytes of records waiting (headers included).</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public bool IsEmpty => Points == 0;

    /// <summary>Records cut off on open because they were torn or corrupt (their points are unknown).</summary>
    public int CorruptRecordsDropped { get; private set; }

    public static OutageBuffer Open(string directory, long maxBytes, long segmentMaxBytes = 16L << 20)
    {
        Directory.CreateDirectory(directory);
        var buffer = new OutageBuffer(directory, maxBytes, segmentMaxBytes);
        buffer.Load();
        return buffer;
    }

    /// <summary>Whether a record of this many payload bytes fits under the cap; an empty buffer takes any one record.</summary>
    public bool HasRoom(int payloadBytes)
    {
        lock (_gate)
        {
            return _bytes == 0 || _bytes + HeaderSize + payloadBytes <= _maxBytes;
        }
    }

    /// <summary>Appends one record and flushes it to disk.</summary>
    public void Append(ReadOnlySpan<byte> lineProtocol, int points)
    {
        var header = new byte[HeaderSize];
        BinaryPrimitives.WriteInt32LittleEndian(header, lineProtocol.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), points);
        var crc = Crc32.Append(Crc32.Append(Crc32.Initial, header.AsSpan(8, 4)), lineProtocol);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), Crc32.Finish(crc));

        if (_writer is null || _writer.Length >= _segmentMaxBytes)
        {
            StartSegment();
        }

        _writer!.Write(header);
        _writer.Write(lineProtocol);
        _writer.Flush(flushToDisk: true);
        lock (_gate)
        {
            _segmentLengths[_writerSegment] = _writer.Length;
            _points += points;
            _bytes += HeaderSize + lineProtocol.Length;
        }
    }

    /// <summary>The oldest records, together at most <paramref name="maxPoints"/> points (at least one record), without removing them.</summary>
    public IReadOnlyList<BufferedWrite> Peek(int maxPoints)
    {
        var result = new List<BufferedWrite>();
        long segment, offset;
        List<long> segments;
        lock (_gate)
        {
            segment = _readSegment;
            offset = _readOffset;
            segments = [.. _segments];
        }

        var points = 0;
        foreach (var id in segments.Where(s => s >= segment))
        {
            long length;
            lock (_gate)
            {
                length = _segmentLengths[id];
            }

            var start = id == segment ? offset : 0;
            if (start >= length)
            {
                continue;
            }

            using var file = new FileStream(SegmentPath(id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            file.Position = start;
            var header = new byte[HeaderSize];
            while (file.Position + HeaderSize <= length)
            {
                file.ReadExactly(header);
                var size = BinaryPrimitives.ReadInt32LittleEndian(header);
                var count = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
                if (result.Count > 0 && points + count > maxPoints)
                {
                    return result;
                }

                var payload = new byte[size];
                file.ReadExactly(payload);
                points += count;
                result.Add(new BufferedWrite(payload, count, id, file.Position));
                if (points >= maxPoints)
                {
                    return result;
                }
            }
        }

        return result;
    }

    /// <summary>Removes records up to and including <paramref name="last"/> (influxd has them).</summary>
    public void Advance(IReadOnlyList<BufferedWrite> written)
    {
        if (written.Count == 0)
        {
            return;
        }

        var last = written[^1];
        var toDelete = new List<long>();
        lock (_gate)
        {
            _readSegment = last.SegmentId;
            _readOffset = last.EndOffset;
            _points -= written.Sum(w => (long)w.Points);
            _bytes -= written.Sum(w => (long)HeaderSize + w.LineProtocol.Length);
            while (_segments.Count > 0 && _segments[0] < _readSegment)
            {
                toDelete.Add(_segments[0]);
                _segmentLengths.Remove(_segments[0]);
                _segments.RemoveAt(0);
            }
        }

        WriteCursor(last.SegmentId, last.EndOffset);
        foreach (var id in toDelete)
        {
            File.Delete(SegmentPath(id));
        }
    }

    public void Dispose() => _writer?.Dispose();

    private void Load()
    {
        var ids = Directory.EnumerateFiles(_directory, "*" + Extension)
            .Select(p => long.TryParse(Path.GetFileNameWithoutExtension(p), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1)
            .Where(id => id > 0)
            .Order()
            .ToList();
        var (cursorSegment, cursorOffset) = ReadCursor();
        foreach (var id in ids)
        {
            if (id < cursorSegment)
            {
                File.Delete(SegmentPath(id));
                continue;
            }

            var start = id == cursorSegment ? cursorOffset : 0;
            var (valid, points) = Scan(id, start);
            _segments.Add(id);
            _segmentLengths[id] = valid;
            _points += points;
            _bytes += Math.Max(0, valid - start);
        }

        if (_segments.Count > 0 && _segments[0] == cursorSegment)
        {
            _readSegment = cursorSegment;
            _readOffset = Math.Min(cursorOffset, _segmentLengths[cursorSegment]);
        }
        else
        {
            _readSegment = _segments.Count > 0 ? _segments[0] : 0;
            _readOffset = 0;
        }

        // New segments number on from the cursor's too, so that none is ever older than the cursor and deleted unread on the next open.
        _writerSegment = Math.Max(ids.Count > 0 ? ids[^1] : 0, cursorSegment);
    }

    // Validates the records of one segment from `start`; cuts the file at the first bad one.
    private (long ValidLength, long Points) Scan(long id, long start)
    {
        using var file = new FileStream(SegmentPath(id), FileMode.Open, FileAccess.ReadWrite);
        var length = file.Length;
        var position = Math.Min(start, length);
        file.Position = position;
        long points = 0;
        var header = new byte[HeaderSize];
        while (position + HeaderSize <= length)
        {
            file.ReadExactly(header);
            var size = BinaryPrimitives.ReadInt32LittleEndian(header);
            var count = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
            if (size < 0 || count < 0 || position + HeaderSize + size > length)
            {
                break;
            }

            var payload = new byte[size];
            file.ReadExactly(payload);
            var crc = Crc32.Finish(Crc32.Append(Crc32.Append(Crc32.Initial, header.AsSpan(8, 4)), payload));
            if (crc != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)))
            {
                break;
            }

            position += HeaderSize + size;
            points += count;
        }

        if (position < length)
        {
            CorruptRecordsDropped++;
            file.SetLength(position);
        }

        return (position, points);
    }

    private void StartSegment()
    {
        _writer?.Dispose();
        var id = _writerSegment + 1;
        _writer = new FileStream(SegmentPath(id), FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 1);
        lock (_gate)
        {
            _writerSegment = id;
            _segments.Add(id);
            _segmentLengths[id] = 0;
            if (_segments.Count == 1)
            {
                _readSegment = id;
                _readOffset = 0;
            }
        }
    }

    private (long Segment, long Offset) ReadCursor()
    {
        if (!File.Exists(_cursorPath))
        {
            return (0, 0);
        }

        var bytes = File.ReadAllBytes(_cursorPath);
        return bytes.Length == 16
            ? (BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)))
            : (0, 0);
    }

    private void WriteCursor(long segment, long offset)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, segment);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), offset);
        using var handle = File.OpenHandle(_cursorPath, FileMode.OpenOrCreate, FileAccess.Write);
        RandomAccess.Write(handle, bytes, 0);
    }

    private string SegmentPath(long id) => Path.Combine(_directory, id.ToString("D12", CultureInfo.InvariantCulture) + Extension);
}

/// <summary>CRC-32 (IEEE 802.3, reflected), as zlib computes it.</summary>
internal static class Crc32
{
    public const uint Initial = 0xFFFFFFFFu;
    private static readonly uint[] Table = BuildTable();

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    public static uint Finish(uint crc) => ~crc;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
