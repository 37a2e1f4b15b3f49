using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace PropertyEba.Edge.Buffering;

/// <summary>What a buffered record carries.</summary>
internal enum BufferedKind : byte
{
    /// <summary>A serialised <c>TelemetryBatch</c>.</summary>
    Telemetry = 1,

    /// <summary>A serialised <c>EdgeEvent</c>.</summary>
    Event = 2,
}

/// <summary>One record read back from the buffer.</summary>
internal readonly record struct BufferedRecord(BufferedKind Kind, byte[] Payload);

/// <summary>What an append had to drop to stay within the size cap, or what the age cap expired.</summary>
internal readonly record struct DropCount(long Telemetry, long Events)
{
    public bool Any => Telemetry + Events > 0;
}

/// <summary>
/// The store-and-forward buffer: a FIFO of records on disk in append-only segment files
/// (<c>000000000001.seg</c>, ...), each record <c>[u32 length][u32 crc32][u8 kind][payload]</c>
/// little-endian. A record written by this version has bit 0x80 set in its kind and the first 8 bytes of its
/// body are the time it was buffered (Unix ms, on the agent's clock), for the age cap; records without the
/// bit (written by an older agent) count as buffered when the buffer was opened. A read cursor (<c>cursor</c>) marks what the broker has acknowledged; a segment
/// is deleted once fully acknowledged. The total size is capped: when an append would exceed it,
/// the oldest segments are dropped and reported. A torn record at the end (power cut mid-write)
/// is detected by its length or CRC and cut off when the buffer is opened.
/// </summary>
/// <remarks>
/// Used by one task at a time (the uplink); only the sync timer runs beside it. Writes go straight to the
/// file with no user-space buffering, so a crash of the process loses nothing already appended. They are
/// flushed to the storage device at most once per sync interval (and on dispose) to spare the SD card, so a
/// power cut loses at most the last interval's appends, which the CRC then detects (ADR 0006).
/// </remarks>
internal sealed class DiskBuffer : IDisposable
{
    private const int HeaderSize = 9;
    private const int StampSize = 8;
    private const byte StampedFlag = 0x80;
    private const string Extension = ".seg";
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly long _segmentMaxBytes;
    private readonly ILogger _logger;
    private readonly List<Segment> _segments = [];
    private readonly SafeFileHandle _cursorHandle;
    private SafeFileHandle? _writeHandle;
    private long _readOffset;
    private readonly Queue<int> _peekedLengths = new();
    private long _count;
    private long _nextSegmentId = 1;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxAge;
    private readonly TimeSpan _syncInterval;
    private readonly long _openedAtMs;

    // Guards the write handle and the sync state against the sync timer.
    private readonly Lock _syncLock = new();
    private readonly ITimer _syncTimer;
    private bool _unsynced;
    private bool _syncArmed;
    private DateTimeOffset _lastSync = DateTimeOffset.MinValue;
    private long _syncCount;

    private DiskBuffer(string directory, long maxBytes, ILogger logger, DiskBufferPolicy policy)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _time = policy.Time ?? TimeProvider.System;
        _maxAge = policy.MaxAge;
        _syncInterval = policy.SyncInterval;
        _openedAtMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _syncTimer = _time.CreateTimer(_ => SyncFromTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _segmentMaxBytes = Math.Clamp(maxBytes / 8, 4 * 1024, 16 * 1024 * 1024);
        _logger = logger;
        try
        {
            // FileShare.None takes a lock, so two agents can never share (and corrupt) one buffer.
            _cursorHandle = File.OpenHandle(Path.Combine(directory, "cursor"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"The offline buffer {directory} is in use by another edge agent, or cannot be written: {ex.Message}", ex);
        }
    }

    /// <summary>Records waiting to be acknowledged.</summary>
    public long Count => _count;

    /// <summary>Whether nothing is waiting.</summary>
    public bool IsEmpty => _count == 0;

    /// <summary>Bytes on disk taken by the segments (including acknowledged records of the oldest segment).</summary>
    public long SizeBytes => _segments.Sum(s => s.Length);

    /// <summary>The cap on <see cref="SizeBytes"/>.</summary>
    public long MaxBytes => _maxBytes;

    /// <summary>The cap on a record's age (since it was buffered).</summary>
    public TimeSpan MaxAge => _maxAge;

    /// <summary>How many times appended data was flushed to the storage device (for tests and diagnostics).</summary>
    public long SyncCount => Interlocked.Read(ref _syncCount);

    /// <summary>Opens (or creates) the buffer in a folder, recovering what a previous run left.</summary>
    public static DiskBuffer Open(string directory, long maxBytes, ILogger logger, DiskBufferPolicy? policy = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 16 * 1024);
        policy ??= new DiskBufferPolicy();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(policy.MaxAge, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(policy.SyncInterval, TimeSpan.Zero);
        Directory.CreateDirectory(directory);
        var buffer = new DiskBuffer(Path.GetFullPath(directory), maxBytes, logger, policy);
        buffer.Recover();
        return buffer;
    }

    /// <summary>Appends a record at the end; returns what had to be dropped from the front to make room.</summary>
    public DropCount Append(BufferedKind kind, ReadOnlySpan<byte> payload)
    {
        var recordLength = HeaderSize + StampSize + payload.Length;
        if (recordLength > _maxBytes)
        {
            // Cannot ever fit: count it as dropped rather than empty the whole buffer for it.
            return kind == BufferedKind.Telemetry ? new DropCount(1, 0) : new DropCount(0, 1);
        }

        var tail = _segments.Count > 0 ? _segments[^1] : null;
        if (tail is null || (tail.Length > 0 && tail.Length + recordLength > _segmentMaxBytes))
        {
            tail = StartSegment();
        }

        long droppedTelemetry = 0, droppedEvents = 0;
        while (SizeBytes + recordLength > _maxBytes && _segments.Count > 1)
        {
            var head = _segments[0];
            droppedTelemetry += head.Telemetry - head.ConsumedTelemetry;
            droppedEvents += head.Events - head.ConsumedEvents;
            _count -= head.Records - head.ConsumedTelemetry - head.ConsumedEvents;
            RemoveHead();
        }

        var rented = ArrayPool<byte>.Shared.Rent(recordLength);
        try
        {
            var now = _time.GetUtcNow();
            var record = rented.AsSpan(0, recordLength);
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(StampSize + payload.Length));
            record[8] = (byte)((byte)kind | StampedFlag);
            BinaryPrimitives.WriteInt64LittleEndian(record[HeaderSize..], now.ToUnixTimeMilliseconds());
            payload.CopyTo(record[(HeaderSize + StampSize)..]);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32.Compute(record[8..]));
            lock (_syncLock)
            {
                _writeHandle ??= OpenForWrite(tail);
                RandomAccess.Write(_writeHandle, record, tail.Length);
                _unsynced = true;
                ScheduleSync(now);
            }

            tail.Stamped(now.ToUnixTimeMilliseconds());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        tail.Length += recordLength;
        tail.Count(kind);
        _count++;
        return new DropCount(droppedTelemetry, droppedEvents);
    }

    /// <summary>Reads the oldest unacknowledged record without removing it.</summary>
    public bool TryPeek(out BufferedRecord record)
    {
        var records = PeekMany(1);
        record = records.Count > 0 ? records[0] : default;
        return records.Count > 0;
    }

    /// <summary>
    /// Reads up to <paramref name="max"/> of the oldest unacknowledged records (from one segment) without
    /// removing them, so they can be published as one window; each is then removed by <see cref="Acknowledge"/>, in order.
    /// </summary>
    public IReadOnlyList<BufferedRecord> PeekMany(int max)
    {
        _peekedLengths.Clear();
        var records = new List<BufferedRecord>(Math.Min(max, 64));
        while (_segments.Count > 0)
        {
            var head = _segments[0];
            if (_readOffset >= head.Length)
            {
                if (_segments.Count == 1)
                {
                    return records;
                }

                RemoveHead();
                continue;
            }

            var header = new byte[HeaderSize];
            using var handle = File.OpenHandle(head.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var offset = _readOffset;
            while (records.Count < max && offset < head.Length)
            {
                // Records this process wrote are whole, and recovery cut torn ones off, so the header is there.
                RandomAccess.Read(handle, header, offset);
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header);
                var skip = (header[8] & StampedFlag) != 0 ? StampSize : 0;
                var payload = new byte[length - skip];
                RandomAccess.Read(handle, payload, offset + HeaderSize + skip);
                records.Add(new BufferedRecord((BufferedKind)(header[8] & ~StampedFlag), payload));
                _peekedLengths.Enqueue(HeaderSize + length);
                offset += HeaderSize + length;
            }

            return records;
        }

        return records;
    }

    /// <summary>Gives up the oldest segment (it cannot be read); returns what was lost with it.</summary>
    public DropCount DiscardOldestSegment()
    {
        if (_segments.Count == 0)
        {
            return default;
        }

        var head = _segments[0];
        var lost = new DropCount(head.Telemetry - head.ConsumedTelemetry, head.Events - head.ConsumedEvents);
        _count -= lost.Telemetry + lost.Events;
        try
        {
            RemoveHead();
        }
        catch (IOException)
        {
            // Already gone from the disk; it is gone from the index too.
        }

        return lost;
    }

    /// <summary>Removes the oldest record returned by the last peek (the broker acknowledged it).</summary>
    public void Acknowledge(BufferedKind kind)
    {
        if (_segments.Count == 0 || !_peekedLengths.TryDequeue(out var length))
        {
            // The record was dropped (buffer full) between peek and acknowledgement; nothing left to remove.
            return;
        }

        var head = _segments[0];
        _readOffset += length;
        if (kind == BufferedKind.Telemetry)
        {
            head.ConsumedTelemetry++;
        }
        else
        {
            head.ConsumedEvents++;
        }

        _count--;
        if (_readOffset >= head.Length)
        {
            // Fully acknowledged: delete the file (also the one being written, so an empty buffer leaves no files).
            RemoveHead();
        }
        else
        {
            WriteCursor(head.Id, _readOffset);
        }
    }

    /// <summary>
    /// Drops, oldest first, the unacknowledged records buffered longer ago than the age cap; returns what went.
    /// Cheap when nothing is due: whole segments are judged by their newest record, the head by a lower bound on
    /// its oldest, so the disk is read only when something expires.
    /// </summary>
    public DropCount DropExpired()
    {
        var cutoff = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_maxAge.TotalMilliseconds;
        long telemetry = 0, events = 0;
        while (_segments.Count > 0)
        {
            var head = _segments[0];
            if (head.OldestMs >= cutoff || head.Records - head.ConsumedTelemetry - head.ConsumedEvents == 0)
            {
                break;
            }

            if (head.NewestMs < cutoff)
            {
                telemetry += head.Telemetry - head.ConsumedTelemetry;
                events += head.Events - head.ConsumedEvents;
                _count -= head.Records - head.ConsumedTelemetry - head.ConsumedEvents;
                RemoveHead();
                continue;
            }

            var (t, e) = ExpireWithinHead(head, cutoff);
            telemetry += t;
            events += e;
            break;
        }

        return new DropCount(telemetry, events);
    }

    /// <summary>Flushes what was appended to the storage device now (also done on dispose).</summary>
    public void Sync()
    {
        lock (_syncLock)
        {
            SyncLocked();
        }
    }

    public void Dispose()
    {
        _syncTimer.Dispose();
        lock (_syncLock)
        {
            // A clean stop leaves nothing for a later power cut to take.
            SyncLocked();
            _writeHandle?.Dispose();
            _writeHandle = null;
        }

        _cursorHandle.Dispose();
    }

    // Advances the read position past the head's expired records (they are older than what follows them).
    private (long Telemetry, long Events) ExpireWithinHead(Segment head, long cutoff)
    {
        var header = new byte[HeaderSize + StampSize];
        long telemetry = 0, events = 0;
        var offset = _readOffset;
        var oldest = head.NewestMs;
        using (var handle = File.OpenHandle(head.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            while (offset < head.Length)
            {
                var read = RandomAccess.Read(handle, header, offset);
                var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
                var stamped = (header[8] & StampedFlag) != 0 && read >= HeaderSize + StampSize;
                var at = stamped ? BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(HeaderSize)) : _openedAtMs;
                if (at >= cutoff)
                {
                    oldest = at;
                    break;
                }

                if ((BufferedKind)(header[8] & ~StampedFlag) == BufferedKind.Telemetry)
                {
                    telemetry++;
                    head.ConsumedTelemetry++;
                }
                else
                {
                    events++;
                    head.ConsumedEvents++;
                }

                offset += HeaderSize + length;
            }
        }

        head.OldestMs = oldest;
        _count -= telemetry + events;
        _readOffset = offset;
        _peekedLengths.Clear();
        if (_readOffset >= head.Length)
        {
            RemoveHead();
        }
        else
        {
            WriteCursor(head.Id, _readOffset);
        }

        return (telemetry, events);
    }

    // Under _syncLock: sync now if the interval has passed since the last sync, else make sure the timer will.
    private void ScheduleSync(DateTimeOffset now)
    {
        var since = now - _lastSync;
        if (_lastSync == DateTimeOffset.MinValue || since >= _syncInterval)
        {
            SyncLocked();
        }
        else if (!_syncArmed)
        {
            _syncArmed = true;
            _syncTimer.Change(_syncInterval - since, Timeout.InfiniteTimeSpan);
        }
    }

    private void SyncFromTimer()
    {
        try
        {
            lock (_syncLock)
            {
                _syncArmed = false;
                SyncLocked();
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The next append or the stop syncs again; a failing disk shows up on the appends.
            EdgeLog.BufferSyncFailed(_logger, ex.Message);
        }
    }

    private void SyncLocked()
    {
        if (!_unsynced || _writeHandle is null)
        {
            return;
        }

        RandomAccess.FlushToDisk(_writeHandle);
        _unsynced = false;
        _lastSync = _time.GetUtcNow();
        Interlocked.Increment(ref _syncCount);
    }

    private Segment StartSegment()
    {
        var id = _nextSegmentId++;
        lock (_syncLock)
        {
            // The finished segment's tail is flushed before its handle goes.
            SyncLocked();
            _writeHandle?.Dispose();
            _writeHandle = null;
        }

        var segment = new Segment(id, Path.Combine(_directory, id.ToString("D12", CultureInfo.InvariantCulture) + Extension));
        _segments.Add(segment);
        return segment;
    }

    private static SafeFileHandle OpenForWrite(Segment segment) =>
        File.OpenHandle(segment.Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete);

    private void RemoveHead()
    {
        var head = _segments[0];
        if (_segments.Count == 1)
        {
            lock (_syncLock)
            {
                // The file is deleted next: nothing in it needs to reach the disk.
                _writeHandle?.Dispose();
                _writeHandle = null;
                _unsynced = false;
            }
        }

        _segments.RemoveAt(0);
        _readOffset = 0;
        _peekedLengths.Clear();
        WriteCursor(_segments.Count > 0 ? _segments[0].Id : head.Id + 1, 0);
        File.Delete(head.Path);
    }

    private void WriteCursor(long segmentId, long offset)
    {
        Span<byte> bytes = stackalloc byte[20];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, segmentId);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], offset);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[16..], Crc32.Compute(bytes[..16]));
        RandomAccess.Write(_cursorHandle, bytes, 0);
    }

    private (long SegmentId, long Offset) ReadCursor()
    {
        Span<byte> bytes = stackalloc byte[20];
        if (RandomAccess.Read(_cursorHandle, bytes, 0) < 20 || Crc32.Compute(bytes[..16]) != BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]))
        {
            return (0, 0);
        }

        return (BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]));
    }

    private void Recover()
    {
        foreach (var file in Directory.EnumerateFiles(_directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            if (!long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            var segment = new Segment(id, file);
            Scan(segment, long.MaxValue);
            if (segment.Length == 0)
            {
                File.Delete(file);
                continue;
            }

            _segments.Add(segment);
        }

        var (cursorSegment, cursorOffset) = ReadCursor();
        while (_segments.Count > 0 && _segments[0].Id < cursorSegment)
        {
            // Acknowledged before the last stop, but not yet deleted.
            var head = _segments[0];
            _segments.RemoveAt(0);
            File.Delete(head.Path);
        }

        if (_segments.Count > 0 && _segments[0].Id == cursorSegment && cursorOffset > 0)
        {
            var head = _segments[0];
            var probe = new Segment(head.Id, head.Path);
            Scan(probe, cursorOffset);
            if (probe.Length == cursorOffset)
            {
                _readOffset = cursorOffset;
                head.ConsumedTelemetry = probe.Telemetry;
                head.ConsumedEvents = probe.Events;
            }
        }

        _nextSegmentId = Math.Max(cursorSegment, _segments.Count > 0 ? _segments[^1].Id + 1 : 1);
        _count = _segments.Sum(s => s.Records) - (_segments.Count > 0 ? _segments[0].ConsumedTelemetry + _segments[0].ConsumedEvents : 0);
        EdgeLog.BufferOpened(_logger, _directory, _count, SizeBytes);
    }

    // Counts the valid records of a segment up to a limit; cuts a damaged tail off the file.
    private void Scan(Segment segment, long limit)
    {
        using var handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        var fileLength = RandomAccess.GetLength(handle);
        var header = new byte[HeaderSize];
        long offset = 0;
        string? damage = null;
        while (offset < fileLength && offset < limit)
        {
            if (RandomAccess.Read(handle, header, offset) < HeaderSize)
            {
                damage = "incomplete record header";
                break;
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
            var stamped = (header[8] & StampedFlag) != 0;
            var kind = (BufferedKind)(header[8] & ~StampedFlag);
            if (length > fileLength - offset - HeaderSize || kind is not (BufferedKind.Telemetry or BufferedKind.Event) || (stamped && length < StampSize))
            {
                damage = "record runs past the end of the file or has an unknown kind";
                break;
            }

            var body = new byte[1 + length];
            body[0] = header[8];
            RandomAccess.Read(handle, body.AsSpan(1), offset + HeaderSize);
            if (Crc32.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)))
            {
                damage = "CRC mismatch";
                break;
            }

            segment.Count(kind);
            segment.Stamped(stamped ? BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan(1)) : _openedAtMs);
            offset += HeaderSize + length;
        }

        segment.Length = offset;
        if (damage is not null && limit == long.MaxValue)
        {
            EdgeLog.BufferDamaged(_logger, segment.Path, offset, damage);
            RandomAccess.SetLength(handle, offset);
        }
    }

    private sealed class Segment(long id, string path)
    {
        public long Id { get; } = id;

        public string Path { get; } = path;

        public long Length { get; set; }

        public int Telemetry { get; private set; }

        public int Events { get; private set; }

        public int Records => Telemetry + Events;

        public int ConsumedTelemetry { get; set; }

        public int ConsumedEvents { get; set; }

        // A lower bound on when the oldest unacknowledged record was buffered (Unix ms), and when the newest was.
        public long OldestMs { get; set; } = long.MaxValue;

        public long NewestMs { get; private set; } = long.MinValue;

        public void Stamped(long atMs)
        {
            OldestMs = Math.Min(OldestMs, atMs);
            NewestMs = Math.Max(NewestMs, atMs);
        }

        public void Count(BufferedKind kind)
        {
            if (kind == BufferedKind.Telemetry)
            {
                Telemetry++;
            }
            else
            {
                Events++;
            }
        }
    }
}

/// <summary>The age cap and disk-sync cadence of a <see cref="DiskBuffer"/>.</summary>
internal sealed record DiskBufferPolicy
{
    /// <summary>The clock records are stamped and aged on; the system clock when null.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Records buffered longer ago than this are dropped, oldest first.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Appends are flushed to the storage device at most once per this interval (zero: every append).</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(1);
}
