namespace PropertyEba.Modbus;

/// <summary>
/// Carries one request PDU to a unit and brings back the PDU that answers it: framing, matching the
/// reply to the request, discarding strays, timeouts and reconnects live here. The master calls it one
/// transaction at a time.
/// </summary>
internal interface IModbusTransport : IAsyncDisposable
{
    /// <summary>True on serial lines, where unit 0 is a broadcast that no slave answers.</summary>
    bool BroadcastsWithoutReply { get; }

    /// <summary>
    /// Sends the request and returns the length of the reply PDU written to <paramref name="response"/>:
    /// a PDU whose function code is the request's, with or without the exception bit.
    /// </summary>
    /// <exception cref="ModbusTimeoutException">No matching reply within the timeout.</exception>
    /// <exception cref="ModbusProtocolException">A malformed frame arrived.</exception>
    /// <exception cref="ModbusCommunicationException">The connection failed.</exception>
    ValueTask<int> TransactAsync(byte unitId, ReadOnlyMemory<byte> request, Memory<byte> response, CancellationToken cancellationToken);

    /// <summary>Sends a broadcast request, which no slave answers.</summary>
    ValueTask SendWithoutReplyAsync(byte unitId, ReadOnlyMemory<byte> request, CancellationToken cancellationToken);
}
