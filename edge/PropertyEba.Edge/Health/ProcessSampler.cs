using System.Diagnostics;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Edge.Health;

/// <summary>Measures the agent process: resident memory, managed heap, and CPU used between two samples.</summary>
internal sealed class ProcessSampler(TimeProvider time)
{
    private readonly object _sync = new();
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private TimeSpan _lastCpu = TimeSpan.Zero;
    private long _lastTimestamp = time.GetTimestamp();

    public ProcessHealth Sample()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        double percent;
        lock (_sync)
        {
            var now = time.GetTimestamp();
            var wall = time.GetElapsedTime(_lastTimestamp, now);
            percent = wall > TimeSpan.Zero ? (cpu - _lastCpu) / wall * 100 : 0;
            _lastCpu = cpu;
            _lastTimestamp = now;
        }

        return new ProcessHealth
        {
            ResidentBytes = process.WorkingSet64,
            ManagedHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
            CpuPercentOfCore = Math.Round(Math.Max(0, percent), 2),
            UptimeSeconds = Math.Round((time.GetUtcNow() - _started).TotalSeconds, 1),
        };
    }
}
