using System.Diagnostics;
using System.Text;

namespace PropertyEba.Modbus.Tests.Rtu;

internal enum BusEventKind
{
    DriverEnabled,
    DriverDisabled,
    ReadStarted,
}

/// <summary>One thing the master did on the bus, when (a <see cref="Stopwatch"/> timestamp), and how many bytes the far end held by then, if watched.</summary>
internal sealed record BusEvent(BusEventKind Kind, long Timestamp, int? BytesAtFarEnd);

/// <summary>What the master did on the bus, in order: the RS-485 driver switching, and reads of the reply being posted.</summary>
internal sealed class BusEventLog
{
    private readonly Lock _lock = new();
    private readonly List<BusEvent> _events = [];

    public IReadOnlyList<BusEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The events as letters, which a regular expression can check and a failure message shows whole: E enabled, D disabled, R read posted.</summary>
    public string Pattern
    {
        get
        {
            var pattern = new StringBuilder();
            foreach (var e in Events)
            {
                pattern.Append(e.Kind switch
                {
                    BusEventKind.DriverEnabled => 'E',
                    BusEventKind.DriverDisabled => 'D',
                    _ => 'R',
                });
            }

            return pattern.ToString();
        }
    }

    public void Add(BusEventKind kind, int? bytesAtFarEnd = null)
    {
        var e = new BusEvent(kind, Stopwatch.GetTimestamp(), bytesAtFarEnd);
        lock (_lock)
        {
            _events.Add(e);
        }
    }

    public BusEvent Single(BusEventKind kind) => Events.Single(e => e.Kind == kind);

    public BusEvent Last(BusEventKind kind) => Events.Last(e => e.Kind == kind);
}
