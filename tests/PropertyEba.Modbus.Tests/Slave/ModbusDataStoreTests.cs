namespace PropertyEba.Modbus.Tests.Slave;

public sealed class ModbusDataStoreTests
{
    private readonly ModbusDataStore _store = new();
    private IModbusSlaveUnit Unit => _store;

    [Fact]
    public void Reads_zero_and_false_where_nothing_was_written()
    {
        var registers = new ushort[300];
        registers.AsSpan().Fill(7);

        Unit.ReadRegisters(ModbusTable.HoldingRegisters, 65236, registers).ShouldBeNull();

        registers.ShouldAllBe(r => r == 0);
        _store.GetBit(ModbusTable.Coils, 65535).ShouldBeFalse();
    }

    [Fact]
    public void Keeps_the_four_tables_apart()
    {
        _store.SetRegister(ModbusTable.HoldingRegisters, 1, 11);
        _store.SetRegister(ModbusTable.InputRegisters, 1, 22);
        _store.SetBit(ModbusTable.Coils, 1, true);

        var value = new ushort[1];
        _store.GetRegisters(ModbusTable.InputRegisters, 1, value);
        value[0].ShouldBe((ushort)22);
        _store.GetRegisters(ModbusTable.HoldingRegisters, 1, value);
        value[0].ShouldBe((ushort)11);
        _store.GetBit(ModbusTable.DiscreteInputs, 1).ShouldBeFalse();
    }

    [Fact]
    public void Writes_and_reads_across_page_boundaries()
    {
        var values = Enumerable.Range(0, 600).Select(i => (ushort)(i + 1)).ToArray();
        _store.SetRegisters(ModbusTable.InputRegisters, 200, values);

        var read = new ushort[600];
        Unit.ReadRegisters(ModbusTable.InputRegisters, 200, read).ShouldBeNull();

        read.ShouldBe(values);
    }

    [Fact]
    public void Rejects_a_range_past_65535_from_the_simulator_side() =>
        Should.Throw<ArgumentOutOfRangeException>(() => _store.SetRegisters(ModbusTable.HoldingRegisters, 65535, [1, 2]));

    [Fact]
    public void Rejects_register_access_to_a_bit_table() =>
        Should.Throw<ArgumentOutOfRangeException>(() => _store.SetRegister(ModbusTable.Coils, 0, 1));

    [Fact]
    public void Raises_Written_with_table_address_and_count_after_a_master_write()
    {
        ModbusWriteEventArgs? seen = null;
        _store.Written += (_, e) => seen = e;

        Unit.WriteBits(40, [true, false, true]).ShouldBeNull();

        seen.ShouldNotBeNull();
        seen.Table.ShouldBe(ModbusTable.Coils);
        seen.Address.ShouldBe((ushort)40);
        seen.Count.ShouldBe(3);
        _store.GetBit(ModbusTable.Coils, 42).ShouldBeTrue();
    }

    [Fact]
    public void Lets_BeforeRead_compute_values_before_they_are_read()
    {
        var reads = 0;
        _store.BeforeRead = (table, address, count) =>
        {
            _store.SetRegister(table, address, (ushort)++reads);
            return null;
        };
        var value = new ushort[1];

        Unit.ReadRegisters(ModbusTable.InputRegisters, 9, value);
        Unit.ReadRegisters(ModbusTable.InputRegisters, 9, value);

        value[0].ShouldBe((ushort)2);
    }

    [Fact]
    public void Lets_BeforeWrite_reject_a_write_without_changing_anything()
    {
        _store.BeforeWrite = (_, address, _) => address < 100 ? ModbusExceptionCode.IllegalDataAddress : null;

        Unit.WriteRegisters(5, [1]).ShouldBe(ModbusExceptionCode.IllegalDataAddress);
        Unit.WriteRegisters(100, [1]).ShouldBeNull();

        var value = new ushort[1];
        _store.GetRegisters(ModbusTable.HoldingRegisters, 5, value);
        value[0].ShouldBe((ushort)0);
    }

    [Fact]
    public async Task Block_reads_never_see_a_half_applied_block_write()
    {
        var ones = Enumerable.Repeat((ushort)1, 100).ToArray();
        var twos = Enumerable.Repeat((ushort)2, 100).ToArray();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Unit.WriteRegisters(1000, ones);
                Unit.WriteRegisters(1000, twos);
            }
        });

        var torn = 0;
        var block = new ushort[100];
        while (!stop.IsCancellationRequested)
        {
            Unit.ReadRegisters(ModbusTable.HoldingRegisters, 1000, block);
            if (block.Distinct().Count() > 1)
            {
                torn++;
            }
        }

        await writer;
        torn.ShouldBe(0);
    }

    [Fact]
    public void Faults_are_off_by_default_and_Clear_turns_them_all_off()
    {
        var faults = _store.Faults;
        faults.NoReply.ShouldBeFalse();
        faults.ExceptionReply.ShouldBeNull();

        faults.NoReply = true;
        faults.GarbageReply = true;
        faults.ReplyDelay = TimeSpan.FromSeconds(1);
        faults.ExceptionReply = ModbusExceptionCode.SlaveDeviceFailure;
        faults.ExceptionReply.ShouldBe(ModbusExceptionCode.SlaveDeviceFailure);
        faults.Clear();

        faults.NoReply.ShouldBeFalse();
        faults.GarbageReply.ShouldBeFalse();
        faults.ReplyDelay.ShouldBe(TimeSpan.Zero);
        faults.ExceptionReply.ShouldBeNull();
    }
}
