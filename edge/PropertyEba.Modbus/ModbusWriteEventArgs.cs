namespace PropertyEba.Modbus;

/// <summary>What a master wrote into a <see cref="ModbusDataStore"/>.</summary>
public sealed class ModbusWriteEventArgs : EventArgs
{
    /// <summary>The table written: <see cref="ModbusTable.Coils"/> or <see cref="ModbusTable.HoldingRegisters"/>.</summary>
    public required ModbusTable Table { get; init; }

    /// <summary>The first address written.</summary>
    public required ushort Address { get; init; }

    /// <summary>How many coils or registers were written.</summary>
    public required int Count { get; init; }
}
