using System.Diagnostics;
using PropertyEba.Modbus.Rtu;

namespace PropertyEba.Modbus.Benchmarks;

/// <summary>
/// Makes a slave on a pseudo-terminal behave as if it sat on a real line: a pty moves a whole frame at
/// once, so the slave waits as long as the request would have taken on the wire plus t3.5 before it
/// answers, and then sends its reply one character at a time at the line rate.
/// </summary>
internal sealed class LinePacedChannel(IRtuChannel inner, RtuTiming timing) : IRtuChannel
{
    private long _requestStarted = -1;
    private int _requestBytes;

    public string Name => inner.Name;

    public ValueTask OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);

    public void DiscardInput() => inner.DiscardInput();

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        if (_requestStarted < 0)
        {
            _requestStarted = Stopwatch.GetTimestamp();
        }

        _requestBytes += n;
        return n;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        // The request's last character arrives after all its characters crossed the line; the reply may start t3.5 later.
        var replyStart = _requestStarted + (long)((timing.TransmitTime(_requestBytes) + timing.T35).TotalSeconds * Stopwatch.Frequency);
        _requestStarted = -1;
        _requestBytes = 0;
        var characterTicks = timing.CharacterTime.TotalSeconds * Stopwatch.Frequency;
        for (var i = 0; i < frame.Length; i++)
        {
            var due = replyStart + (long)((i + 1) * characterTicks);
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.SpinWait(20);
            }

            await inner.WriteAsync(frame.Slice(i, 1), cancellationToken);
        }
    }

    public void Close() => inner.Close();

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
