using System.Globalization;

namespace PropertyEba.Ingestion.Benchmarks;

/// <summary>
/// Samples a process's resident memory (VmRSS of /proc/PID/status) once a second while the run lasts, so the peak
/// and the trend are seen, not only the end state. A process that has gone (crashed) stops the sampling quietly;
/// <see cref="Samples"/> then ends where it died.
/// </summary>
internal sealed class ProcessRssSampler(int processId, TimeProvider time)
{
    private readonly List<(TimeSpan At, long RssKb)> _samples = [];
    private readonly Lock _gate = new();

    public long FirstKb { get; private set; }

    public long PeakKb { get; private set; }

    public long LastKb { get; private set; }

    public IReadOnlyList<(TimeSpan At, long RssKb)> Samples
    {
        get
        {
            lock (_gate)
            {
                return _samples.ToArray();
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        do
        {
            if (ReadRssKb() is not { } kb)
            {
                return;
            }

            lock (_gate)
            {
                if (_samples.Count == 0)
                {
                    FirstKb = kb;
                }

                _samples.Add((time.GetElapsedTime(start), kb));
                LastKb = kb;
                PeakKb = Math.Max(PeakKb, kb);
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    public async Task WriteCsvAsync(string path, CancellationToken cancellationToken)
    {
        var lines = Samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.At.TotalSeconds:0.0},{s.RssKb / 1024.0:0.0}"));
        await File.WriteAllLinesAsync(path, lines.Prepend("seconds,rss_mb"), cancellationToken);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private long? ReadRssKb()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    // "VmRSS:	  123456 kB"
                    var number = line.AsSpan(6).Trim().TrimEnd("kB").Trim();
                    return long.Parse(number, CultureInfo.InvariantCulture);
                }
            }

            return null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
