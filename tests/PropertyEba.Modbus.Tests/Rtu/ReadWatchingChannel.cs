using PropertyEba.Modbus.Rtu;

namespace PropertyEba.Modbus.Tests.Rtu;

/// <summary>Passes everything to the real channel and logs each read the master posts, so a test sees whether the reply was read while the driver still held the bus.</summary>
internal sealed class ReadWatchingChannel(IRtuChannel line, BusEventLog log) : IRtuChannel
{
    public string Name => line.Name;

    public int BytesAvailable => line.BytesAvailable;

    public ValueTask OpenAsync(CancellationToken cancellationToken) => line.OpenAsync(cancellationToken);

    public void DiscardInput() => line.DiscardInput();

    public ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) => line.WriteAsync(frame, cancellationToken);

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        log.Add(BusEventKind.ReadStarted);
        return line.ReadAsync(buffer, cancellationToken);
    }

    public void Close() => line.Close();

    public ValueTask DisposeAsync() => line.DisposeAsync();
}
