using System.Globalization;

namespace PropertyEba.Edge.Buffering;

/// <summary>
/// The per-edge telemetry sequence number, kept across restarts in a small file beside the buffer.
/// Numbers are reserved on disk in blocks ahead of use, so a crash can leave a gap (visible to the
/// cloud, and honest: the crash may have lost readings) but never reuses a number; a clean stop
/// writes the exact last number, so the next start continues without a gap.
/// </summary>
internal sealed class SequenceStore
{
    private const long Block = 1000;
    private readonly string _path;
    private long _last;
    private long _reserved;

    private SequenceStore(string path, long last)
    {
        _path = path;
        _last = last;
        _reserved = last;
    }

    /// <summary>The last number handed out (0 before the first).</summary>
    public long Last => _last;

    public static SequenceStore Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "sequence");
        long last = 0;
        if (File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var stored))
        {
            last = stored;
        }

        return new SequenceStore(path, last);
    }

    /// <summary>The next number (the first is 1).</summary>
    public long Next()
    {
        var next = _last + 1;
        if (next > _reserved)
        {
            _reserved = next + Block - 1;
            Write(_reserved);
        }

        _last = next;
        return next;
    }

    /// <summary>Writes the exact last number (on clean stop), so the next start continues without a gap.</summary>
    public void Close() => Write(_last);

    private void Write(long value)
    {
        // Write a temporary file, flush it to the disk, then rename it over the old one: atomic on POSIX.
        var temp = _path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
    }
}
