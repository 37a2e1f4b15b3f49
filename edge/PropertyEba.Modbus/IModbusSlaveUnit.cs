namespace PropertyEba.Modbus;

/// <summary>
/// The data of one unit id served by a slave. Calls come from the slave's connection tasks,
/// possibly concurrently, so implementations are thread-safe. A returned exception code is sent
/// to the master instead of data. <see cref="ModbusDataStore"/> is the standard implementation.
/// </summary>
public interface IModbusSlaveUnit
{
    /// <summary>Reads coils or discrete inputs; the slave has already checked the range fits in 0..65535.</summary>
    ModbusExceptionCode? ReadBits(ModbusTable table, ushort address, Span<bool> destination);

    /// <summary>Reads holding or input registers; the slave has already checked the range fits in 0..65535.</summary>
    ModbusExceptionCode? ReadRegisters(ModbusTable table, ushort address, Span<ushort> destination);

    /// <summary>Writes coils on behalf of a master (function codes 05 and 15).</summary>
    ModbusExceptionCode? WriteBits(ushort address, ReadOnlySpan<bool> values);

    /// <summary>Writes holding registers on behalf of a master (function codes 06, 16 and 23).</summary>
    ModbusExceptionCode? WriteRegisters(ushort address, ReadOnlySpan<ushort> values);

    /// <summary>Faults the slave injects for this unit (simulators and tests).</summary>
    SlaveFaults Faults { get; }
}
