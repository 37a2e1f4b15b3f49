namespace PropertyEba.Modbus.Tests.Interop;

/// <summary>
/// The tables both independent reference slaves (pymodbus_slave.py, modbus_ref_server.c) serve on unit 1,
/// and one pass of our master through every data function code against them.
/// </summary>
internal static class ReferenceTables
{
    public static async Task ExerciseEveryFunctionCodeAsync(ModbusMaster master)
    {
        (await master.ReadHoldingRegistersAsync(1, 0, 10)).ShouldBe(Enumerable.Range(0, 10).Select(i => (ushort)i).ToArray());
        (await master.ReadHoldingRegistersAsync(1, 1000, 125)).ShouldBe(Enumerable.Range(1000, 125).Select(i => (ushort)i).ToArray());
        (await master.ReadInputRegistersAsync(1, 5, 3)).ShouldBe(new ushort[] { 10005, 10006, 10007 });
        (await master.ReadCoilsAsync(1, 0, 10)).ShouldBe(Enumerable.Range(0, 10).Select(i => i % 3 == 0).ToArray());
        (await master.ReadDiscreteInputsAsync(1, 3, 20)).ShouldBe(Enumerable.Range(3, 20).Select(i => i % 2 == 0).ToArray());

        await master.WriteSingleRegisterAsync(1, 50, 0xBEEF);
        await master.WriteMultipleRegistersAsync(1, 60, [1, 2, 3, 4]);
        (await master.ReadHoldingRegistersAsync(1, 50, 1)).ShouldBe(new ushort[] { 0xBEEF });
        (await master.ReadHoldingRegistersAsync(1, 60, 4)).ShouldBe(new ushort[] { 1, 2, 3, 4 });

        await master.WriteSingleCoilAsync(1, 1, true);
        await master.WriteMultipleCoilsAsync(1, 20, [true, true, false, false, true, false, true, true, true]);
        (await master.ReadCoilsAsync(1, 1, 1)).ShouldBe(new[] { true });
        (await master.ReadCoilsAsync(1, 20, 9)).ShouldBe(new[] { true, true, false, false, true, false, true, true, true });

        (await master.ReadWriteMultipleRegistersAsync(1, 99, 4, 100, [7, 8])).ShouldBe(new ushort[] { 99, 7, 8, 102 });

        var ex = await Should.ThrowAsync<ModbusException>(() => master.ReadHoldingRegistersAsync(1, 65000, 10));
        ex.ExceptionCode.ShouldBe(ModbusExceptionCode.IllegalDataAddress);
    }
}
