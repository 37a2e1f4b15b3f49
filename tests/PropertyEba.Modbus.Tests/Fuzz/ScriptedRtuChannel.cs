using System.Collections.Concurrent;
using PropertyEba.Modbus.Rtu;

namespace PropertyEba.Modbus.Tests.Fuzz;

/// <summary>
/// An in-memory RTU line for fuzzing: reads return the queued chunks in order. When the queue is empty a
/// master-side channel reports the line as gone (so each case ends at once), a slave-side one stays silent.
/// </summary>
internal sealed class ScriptedRtuChannel(bool silentWhenEmpty) : IRtuChannel
{
    private readonly ConcurrentQueue<byte[]> _chunks = new();
    private readonly ConcurrentQueue<byte[]> _written = new();

    public string Name => "scripted line";

    public int Pending => _chunks.Count;

    public IReadOnlyCollection<byte[]> Written => _written;

    public void Enqueue(byte[] chunk) => _chunks.Enqueue(chunk);

    public void Clear() => _chunks.Clear();

    public ValueTask OpenAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public int BytesAvailable => 0;

    public void DiscardInput()
    {
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        _written.Enqueue(frame.ToArray());
        return ValueTask.CompletedTask;
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_chunks.TryPeek(out var chunk))
            {
                var n = Math.Min(chunk.Length, buffer.Length);
                chunk.AsSpan(0, n).CopyTo(buffer.Span);
                if (n == chunk.Length)
                {
                    _chunks.TryDequeue(out _);
                }
                else
                {
                    // Keep the rest for the next read, as a driver would.
                    _chunks.TryDequeue(out _);
                    var rest = new ConcurrentQueue<byte[]>();
                    rest.Enqueue(chunk[n..]);
                    while (_chunks.TryDequeue(out var next))
                    {
                        rest.Enqueue(next);
                    }

                    foreach (var c in rest)
                    {
                        _chunks.Enqueue(c);
                    }
                }

                return n;
            }

            if (!silentWhenEmpty)
            {
                throw new ModbusCommunicationException("End of scripted input.");
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    public void Close()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
