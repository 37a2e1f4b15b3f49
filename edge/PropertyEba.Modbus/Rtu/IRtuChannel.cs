namespace PropertyEba.Modbus.Rtu;

/// <summary>The byte pipe RTU frames travel on: a serial port, or a TCP connection to a serial device server.</summary>
internal interface IRtuChannel : IAsyncDisposable
{
    /// <summary>A description for error messages, e.g. the port name or host:port.</summary>
    string Name { get; }

    /// <summary>Opens or connects if not open.</summary>
    ValueTask OpenAsync(CancellationToken cancellationToken);

    /// <summary>Bytes received and not read yet (0 when unknown or closed).</summary>
    int BytesAvailable { get; }

    /// <summary>Drops whatever was received and not read yet (stale replies, line noise).</summary>
    void DiscardInput();

    ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);

    /// <summary>Reads what is available, at least one byte; throws <see cref="ModbusCommunicationException"/> if the channel closed.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Closes the channel; the next <see cref="OpenAsync"/> reopens it.</summary>
    void Close();
}
