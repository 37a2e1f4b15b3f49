namespace PropertyEba.Modbus.Benchmarks;

/// <summary>The tables the libmodbus reference server serves, reproduced on our slave so both answer alike.</summary>
internal static class ReferenceTables
{
    public const int Entries = 10_000;

    public static ModbusDataStore CreateStore()
    {
        var store = new ModbusDataStore();
        var registers = new ushort[Entries];
        for (var i = 0; i < Entries; i++)
        {
            registers[i] = (ushort)i;
        }

        store.SetRegisters(ModbusTable.HoldingRegisters, 0, registers);
        for (var i = 0; i < Entries; i++)
        {
            registers[i] = (ushort)(10_000 + i);
            store.SetBit(ModbusTable.Coils, (ushort)i, i % 3 == 0);
            store.SetBit(ModbusTable.DiscreteInputs, (ushort)i, i % 2 == 0);
        }

        store.SetRegisters(ModbusTable.InputRegisters, 0, registers);
        return store;
    }
}
