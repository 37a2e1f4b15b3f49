using System.Diagnostics;
using PropertyEba.Modbus.Rtu;

namespace PropertyEba.Modbus.Benchmarks;

/// <summary>
/// Makes a slave on a pseudo-terminal behave as if it sat on a real line: a pty moves a whole frame at
/// once, so the slave waits as long as the request would have taken on the wire plus t3.5 before it
/// answers, and then sends its reply one character at a time at the line rate. The characters are
/// written straight to the device file: System.IO.Ports on Linux queues each write for its I/O loop,
/// which adds up to 30 ms whenever the loop sits in its poll, and would measure that instead of the master.
/// </summary>
internal sealed class LinePacedChannel(IRtuChannel inner, RtuTiming timing, string devicePath) : IRtuChannel
{
    private readonly FileStream _writer = new(devicePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
    private long _requestStarted = -1;
    private int _requestBytes;

    public string Name => inner.Name;

    public ValueTask OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);

    public int BytesAvailable => inner.BytesAvailable;

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

    public ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
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

            cancellationToken.ThrowIfCancellationRequested();
            _writer.Write(frame.Span.Slice(i, 1));
        }

        return ValueTask.CompletedTask;
    }

    public void Close() => inner.Close();

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await inner.DisposeAsync();
    }
}
