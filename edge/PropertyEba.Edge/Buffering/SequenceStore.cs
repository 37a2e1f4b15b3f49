using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Edge.Buffering;

/// <summary>
/// The per-edge telemetry sequence number, kept across restarts beside the buffer, and the numbers a restart skipped
/// without using them, which the agent announces in its status so that the cloud does not count them as a gap.
/// </summary>
/// <remarks>
/// <para>Two files, because they need different guarantees:</para>
/// <list type="bullet">
/// <item><c>sequence</c> holds the end of the block of numbers reserved ahead of use (1,000 at a time), then the
/// skipped ranges still announced, one <c>from-to</c> a line. It is written atomically (temporary file, fsync, rename)
/// when a block is reserved, at a start that finds a new skipped range, and at a clean stop, which writes the exact
/// last number so that the next start continues without a gap. Whatever happens, no number above it was used.</item>
/// <item><c>sequence.used</c> holds the last number handed out and the id of the machine's boot, overwritten in place
/// before every number is used, without fsync: a store into the page cache, which outlives the process (SIGKILL, an
/// out-of-memory kill, a crash) but not the machine (a power cut). The kernel writes it out every ~30 s at most, so it
/// costs an SD card nothing per batch. The boot id says whether it can be trusted.</item>
/// </list>
/// <para>After an unclean stop the next start continues after the reserved block: a number is never reused, since a
/// reused number would make the cloud drop a new batch as a duplicate. If the machine did not restart since, the last
/// number used is known exactly and the rest of the block is announced as skipped (<see cref="Skipped"/>). If it did,
/// the last write may have been lost with the page cache, so those numbers may have gone to batches the power cut
/// lost: they are not announced (<see cref="Uncertain"/>) and stay a gap for the cloud, which is the honest answer.</para>
/// </remarks>
internal sealed class SequenceStore : IDisposable
{
    /// <summary>How many numbers are reserved on disk at a time.</summary>
    public const long Block = 1000;

    /// <summary>A skipped range is announced until the next number is this far past it (how much the cloud remembers).</summary>
    public const long AnnouncedFor = 65_536;

    /// <summary>At most this many skipped ranges are announced (the most recent).</summary>
    public const int MaxAnnounced = 16;

    private const int UsedRecordSize = 28; // [i64 last][16-byte boot id][u32 CRC-32 of the 24 bytes before]
    private const string SequenceFile = "sequence";
    private const string UsedFile = "sequence.used";
    private readonly string _path;
    private readonly Guid? _bootId;
    private readonly FileStream _used;
    private readonly List<SeqRange> _skipped;
    private long _last;
    private long _reserved;

    private SequenceStore(string path, Guid? bootId, FileStream used, long last, List<SeqRange> skipped)
    {
        _path = path;
        _bootId = bootId;
        _used = used;
        _last = last;
        _reserved = last;
        _skipped = skipped;
    }

    /// <summary>The last number handed out (0 before the first).</summary>
    public long Last => _last;

    /// <summary>
    /// Numbers skipped without being used, oldest first, to announce in every status (<c>skippedSeq</c>): the one this
    /// start found, and those of earlier starts still within <see cref="AnnouncedFor"/> (their announcement may not have
    /// reached the cloud: the broker may have been down for the whole of that run).
    /// </summary>
    public IReadOnlyList<SeqRange> Skipped => _skipped;

    /// <summary>The range this start skipped without knowing whether the previous run used it (after a restart of the machine); null if none.</summary>
    public SeqRange? Uncertain { get; private init; }

    /// <summary>The range this start found skipped and announces; null if none (a clean stop, a first start).</summary>
    public SeqRange? SkippedAtStart { get; private init; }

    /// <summary>Opens the store in a folder, finding out what the previous run used.</summary>
    /// <param name="directory">The buffer folder.</param>
    /// <param name="bootId">The machine's boot id; by default read from the kernel (null where there is none: then an unclean stop announces nothing).</param>
    public static SequenceStore Open(string directory, Guid? bootId = null)
    {
        bootId ??= CurrentBootId();
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, SequenceFile);
        var (reserved, skipped) = ReadSequence(path);
        var used = new FileStream(Path.Combine(directory, UsedFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        var previous = ReadUsed(used);

        var last = reserved;
        SeqRange? found = null, uncertain = null;
        if (previous is { } p && p.Last > reserved)
        {
            // The reservation file is behind (restored from a backup?): never go below a number that was used.
            last = p.Last;
        }
        else if (previous is { } q && q.Last < reserved)
        {
            var range = new SeqRange { From = q.Last + 1, To = reserved };
            if (bootId is not null && q.BootId == bootId)
            {
                found = range;
            }
            else if (!skipped.Contains(range))
            {
                uncertain = range;
            }
        }

        // (No used file while numbers were reserved: a version of the agent before this one stopped. Nothing is known.)
        var changed = found is not null && !skipped.Contains(found);
        if (changed)
        {
            skipped.Add(found!);
        }

        var before = skipped.Count;
        skipped.RemoveAll(r => r.To < last + 1 - AnnouncedFor);
        if (skipped.Count > MaxAnnounced)
        {
            skipped.RemoveRange(0, skipped.Count - MaxAnnounced);
        }

        var store = new SequenceStore(path, bootId, used, last, skipped) { SkippedAtStart = found, Uncertain = uncertain };
        if (changed || skipped.Count != before)
        {
            // Durable before anything is announced, so that another crash before the next connection keeps it.
            store.WriteSequence(last);
        }

        return store;
    }

    /// <summary>The next number (the first is 1).</summary>
    public long Next()
    {
        var next = _last + 1;
        if (next > _reserved)
        {
            _reserved = next + Block - 1;
            WriteSequence(_reserved);
        }

        // Marked before it is used: after a crash, every number above the mark is known to be unused.
        WriteUsed(next);
        _last = next;
        return next;
    }

    /// <summary>Writes the exact last number (on clean stop), so the next start continues without a gap.</summary>
    public void Close()
    {
        WriteUsed(_last);
        _used.Flush(flushToDisk: true);
        WriteSequence(_last);
    }

    public void Dispose() => _used.Dispose();

    /// <summary>The id of the machine's current boot (Linux), or null where the system has none.</summary>
    internal static Guid? CurrentBootId()
    {
        try
        {
            return Guid.TryParse(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(), out var id) ? id : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static (long Reserved, List<SeqRange> Skipped) ReadSequence(string path)
    {
        var skipped = new List<SeqRange>();
        if (!File.Exists(path))
        {
            return (0, skipped);
        }

        var lines = File.ReadAllLines(path);
        long reserved = 0;
        if (lines.Length > 0)
        {
            long.TryParse(lines[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out reserved);
        }

        foreach (var line in lines.Skip(1))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0
                && long.TryParse(line.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                && long.TryParse(line.AsSpan(dash + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                && from >= 1 && to >= from && to <= reserved)
            {
                skipped.Add(new SeqRange { From = from, To = to });
            }
        }

        return (reserved, skipped);
    }

    private static (long Last, Guid? BootId)? ReadUsed(FileStream used)
    {
        Span<byte> record = stackalloc byte[UsedRecordSize];
        if (RandomAccess.Read(used.SafeFileHandle, record, 0) < UsedRecordSize
            || Crc32.Compute(record[..24]) != BinaryPrimitives.ReadUInt32LittleEndian(record[24..]))
        {
            return null;
        }

        var last = BinaryPrimitives.ReadInt64LittleEndian(record);
        var bootId = new Guid(record[8..24]);
        return last < 0 ? null : (last, bootId == Guid.Empty ? null : bootId);
    }

    private void WriteUsed(long last)
    {
        Span<byte> record = stackalloc byte[UsedRecordSize];
        BinaryPrimitives.WriteInt64LittleEndian(record, last);
        (_bootId ?? Guid.Empty).TryWriteBytes(record[8..24]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[24..], Crc32.Compute(record[..24]));
        RandomAccess.Write(_used.SafeFileHandle, record, 0);
    }

    private void WriteSequence(long reserved)
    {
        var text = new StringBuilder(reserved.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var range in _skipped)
        {
            text.Append(CultureInfo.InvariantCulture, $"{range.From}-{range.To}\n");
        }

        // Write a temporary file, flush it to the disk, then rename it over the old one: atomic on POSIX.
        var temp = _path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.ASCII.GetBytes(text.ToString()));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
    }
}
