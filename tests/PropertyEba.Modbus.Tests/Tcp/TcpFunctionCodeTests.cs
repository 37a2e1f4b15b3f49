namespace PropertyEba.Modbus.Tests.Tcp;

/// <summary>Our master against our slave over loopback TCP: every function code, both directions.</summary>
public sealed class TcpFunctionCodeTests(TcpSlaveFixture fixture) : IClassFixture<TcpSlaveFixture>
{
    [Fact]
    public async Task Reads_holding_registers_the_simulator_set()
    {
        fixture.Unit1.SetRegisters(ModbusTable.HoldingRegisters, 100, [1, 2, 3, 0xFFFF]);
        await using var master = fixture.CreateMaster();

        var values = await master.ReadHoldingRegistersAsync(1, 100, 4);

        values.ShouldBe(new ushort[] { 1, 2, 3, 0xFFFF });
    }

    [Fact]
    public async Task Reads_input_registers_into_a_caller_buffer()
    {
        fixture.Unit1.SetRegisters(ModbusTable.InputRegisters, 0, [10, 20, 30]);
        await using var master = fixture.CreateMaster();
        var buffer = new ushort[3];

        await master.ReadInputRegistersAsync(1, 0, buffer.AsMemory());

        buffer.ShouldBe(new ushort[] { 10, 20, 30 });
    }

    [Fact]
    public async Task Reads_the_maximum_125_registers_at_the_top_of_the_address_space()
    {
        var expected = Enumerable.Range(0, 125).Select(i => (ushort)(i * 7)).ToArray();
        fixture.Unit1.SetRegisters(ModbusTable.HoldingRegisters, 65536 - 125, expected);
        await using var master = fixture.CreateMaster();

        (await master.ReadHoldingRegistersAsync(1, 65536 - 125, 125)).ShouldBe(expected);
    }

    [Fact]
    public async Task Reads_coils_and_discrete_inputs_across_byte_boundaries()
    {
        var pattern = Enumerable.Range(0, 19).Select(i => i % 3 == 0).ToArray();
        for (var i = 0; i < pattern.Length; i++)
        {
            fixture.Unit1.SetBit(ModbusTable.Coils, (ushort)(500 + i), pattern[i]);
            fixture.Unit1.SetBit(ModbusTable.DiscreteInputs, (ushort)(600 + i), !pattern[i]);
        }

        await using var master = fixture.CreateMaster();

        (await master.ReadCoilsAsync(1, 500, 19)).ShouldBe(pattern);
        (await master.ReadDiscreteInputsAsync(1, 600, 19)).ShouldBe(pattern.Select(b => !b).ToArray());
    }

    [Fact]
    public async Task Reads_2000_discrete_inputs_in_one_request()
    {
        fixture.Unit2.SetBit(ModbusTable.DiscreteInputs, 1999, true);
        await using var master = fixture.CreateMaster();
        var bits = new bool[2000];

        await master.ReadDiscreteInputsAsync(2, 0, bits.AsMemory());

        bits[1999].ShouldBeTrue();
        bits.Count(b => b).ShouldBe(1);
    }

    [Fact]
    public async Task Writes_a_single_coil_on_and_off()
    {
        await using var master = fixture.CreateMaster();

        await master.WriteSingleCoilAsync(1, 7, true);
        fixture.Unit1.GetBit(ModbusTable.Coils, 7).ShouldBeTrue();
        await master.WriteSingleCoilAsync(1, 7, false);
        fixture.Unit1.GetBit(ModbusTable.Coils, 7).ShouldBeFalse();
    }

    [Fact]
    public async Task Writes_a_single_register_and_raises_Written()
    {
        var written = new List<ModbusWriteEventArgs>();
        fixture.Unit2.Written += (_, e) => written.Add(e);
        await using var master = fixture.CreateMaster();

        await master.WriteSingleRegisterAsync(2, 42, 0xBEEF);

        var value = new ushort[1];
        fixture.Unit2.GetRegisters(ModbusTable.HoldingRegisters, 42, value);
        value[0].ShouldBe((ushort)0xBEEF);
        written.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Table.ShouldBe(ModbusTable.HoldingRegisters),
            e => e.Address.ShouldBe((ushort)42),
            e => e.Count.ShouldBe(1));
    }

    [Fact]
    public async Task Writes_multiple_coils()
    {
        bool[] values = [true, false, true, true, false, false, true, false, true, true];
        await using var master = fixture.CreateMaster();

        await master.WriteMultipleCoilsAsync(1, 1000, values);

        (await master.ReadCoilsAsync(1, 1000, 10)).ShouldBe(values);
    }

    [Fact]
    public async Task Writes_multiple_registers()
    {
        ushort[] values = [9, 8, 7, 6, 5];
        await using var master = fixture.CreateMaster();

        await master.WriteMultipleRegistersAsync(1, 2000, values);

        (await master.ReadHoldingRegistersAsync(1, 2000, 5)).ShouldBe(values);
    }

    [Fact]
    public async Task Read_write_multiple_registers_writes_before_it_reads()
    {
        await using var master = fixture.CreateMaster();

        var read = await master.ReadWriteMultipleRegistersAsync(1, 3000, 4, 3001, [11, 22]);

        read.ShouldBe(new ushort[] { 0, 11, 22, 0 });
    }

    [Fact]
    public async Task Reads_basic_and_extended_device_identification()
    {
        fixture.Unit2.SetDeviceIdentification(0x80, "extended object");
        await using var master = fixture.CreateMaster();

        var basic = await master.ReadDeviceIdentificationAsync(2);
        var extended = await master.ReadDeviceIdentificationAsync(2, 3);
        var single = await master.ReadDeviceIdentificationAsync(2, 4, 1);

        basic.Keys.ShouldBe(new byte[] { 0, 1, 2 }, ignoreOrder: true);
        basic[0].ShouldBe("PropertyEba");
        extended[0x80].ShouldBe("extended object");
        single.ShouldHaveSingleItem().Key.ShouldBe((byte)1);
    }

    [Fact]
    public async Task Reads_device_identification_split_over_several_replies()
    {
        var store = new ModbusDataStore();
        for (byte id = 0x80; id < 0x88; id++)
        {
            store.SetDeviceIdentification(id, new string((char)('a' + id - 0x80), 100));
        }

        await using var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0 });
        slave.AddUnit(1, store);
        await slave.StartAsync(CancellationToken.None);
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = slave.LocalEndPoint.Port });

        var objects = await master.ReadDeviceIdentificationAsync(1, 3);

        objects.Count.ShouldBe(11);
        objects[0x87].ShouldBe(new string('h', 100));
        slave.RequestsServed.ShouldBeGreaterThanOrEqualTo(4);
    }

    [Fact]
    public async Task Serves_many_threads_on_one_master_one_transaction_at_a_time()
    {
        for (ushort i = 0; i < 50; i++)
        {
            fixture.Unit1.SetRegister(ModbusTable.InputRegisters, (ushort)(5000 + i), (ushort)(i * 3));
        }

        await using var master = fixture.CreateMaster();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
            (await master.ReadInputRegistersAsync(1, (ushort)(5000 + i), 1))[0])));

        results.ShouldBe(Enumerable.Range(0, 50).Select(i => (ushort)(i * 3)).ToArray());
    }

    [Fact]
    public async Task Serves_many_concurrent_clients()
    {
        fixture.Unit1.SetRegister(ModbusTable.HoldingRegisters, 7000, 77);
        var masters = Enumerable.Range(0, 20).Select(_ => fixture.CreateMaster()).ToArray();
        try
        {
            var results = await Task.WhenAll(masters.Select(async m =>
            {
                var sum = 0;
                for (var i = 0; i < 20; i++)
                {
                    sum += (await m.ReadHoldingRegistersAsync(1, 7000, 1))[0];
                }

                return sum;
            }));

            results.ShouldAllBe(s => s == 20 * 77);
        }
        finally
        {
            foreach (var m in masters)
            {
                await m.DisposeAsync();
            }
        }
    }
}
