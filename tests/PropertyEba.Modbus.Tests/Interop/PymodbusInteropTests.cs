using PropertyEba.Testing;

namespace PropertyEba.Modbus.Tests.Interop;

/// <summary>Debian's python3-pymodbus, an implementation nobody here wrote, as slave and as master.</summary>
[Collection(SerialLineCollection.Name)]
public sealed class PymodbusInteropTests
{
    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Interop", name);

    private static string Python => Prerequisite.DebianPython("pymodbus", "python3-pymodbus");

    // pyserial cannot set even parity on a pseudo-terminal (tcsetattr fails with EINVAL), so the RTU
    // tests use the specification's other format: no parity, two stop bits.
    private static ModbusSerialOptions Serial(string port) => new() { PortName = port, BaudRate = 19200, Parity = System.IO.Ports.Parity.None, StopBits = System.IO.Ports.StopBits.Two };

    [Fact]
    public async Task Our_TCP_master_exercises_every_function_code_on_a_pymodbus_slave()
    {
        var port = FreePort.Next();
        await using var slave = ServerProcess.Start(Python, [Script("pymodbus_slave.py"), "tcp", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await slave.WaitForTcpAsync(port);
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(3) });

        await ReferenceTables.ExerciseEveryFunctionCodeAsync(master);
        var identification = await master.ReadDeviceIdentificationAsync(1);
        identification[0].ShouldBe("pymodbus-vendor");
        identification[1].ShouldBe("PM-1");
    }

    [Fact]
    public async Task Our_RTU_master_exercises_every_function_code_on_a_pymodbus_slave()
    {
        Prerequisite.DebianPython("serial", "python3-serial");
        await using var pty = await PseudoTerminalPair.StartAsync();
        await using var slave = ServerProcess.Start(Python, [Script("pymodbus_slave.py"), "rtu", pty.PortB]);
        await using var master = ModbusMaster.CreateRtu(new ModbusRtuMasterOptions
        {
            Serial = Serial(pty.PortA),
            Timeout = TimeSpan.FromSeconds(2),
        });
        await Eventually.UntilAsync(async ct => (await master.ReadHoldingRegistersAsync(1, 0, 1, ct)).Length == 1, $"the pymodbus RTU slave to answer ({slave.Output})");

        await ReferenceTables.ExerciseEveryFunctionCodeAsync(master);
        (await master.ReadDeviceIdentificationAsync(1))[2].ShouldBe("3.0");
    }

    [Fact]
    public async Task Pymodbus_master_reads_and_writes_our_TCP_slave()
    {
        var store = PrepareStore();
        await using var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0 });
        slave.AddUnit(1, store);
        await slave.StartAsync(CancellationToken.None);

        var (exit, output) = await ExternalProgram.RunAsync(Python, [Script("pymodbus_master.py"), "tcp", slave.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        exit.ShouldBe(0, output);
        AssertMasterOutputAndStore(output, store);
    }

    [Fact]
    public async Task Pymodbus_master_reads_and_writes_our_RTU_slave()
    {
        Prerequisite.DebianPython("serial", "python3-serial");
        var store = PrepareStore();
        await using var pty = await PseudoTerminalPair.StartAsync();
        await using var slave = new ModbusRtuSlave(Serial(pty.PortB));
        slave.AddUnit(1, store);
        await slave.StartAsync(CancellationToken.None);

        var (exit, output) = await ExternalProgram.RunAsync(Python, [Script("pymodbus_master.py"), "rtu", pty.PortA]);

        exit.ShouldBe(0, output);
        AssertMasterOutputAndStore(output, store);
    }

    private static ModbusDataStore PrepareStore()
    {
        var store = new ModbusDataStore();
        store.SetRegisters(ModbusTable.InputRegisters, 0, [500, 501, 502]);
        store.SetRegisters(ModbusTable.HoldingRegisters, 30, [300, 301, 302]);
        store.SetBit(ModbusTable.DiscreteInputs, 1, true);
        store.SetBit(ModbusTable.DiscreteInputs, 2, true);
        return store;
    }

    private static void AssertMasterOutputAndStore(string output, ModbusDataStore store)
    {
        output.ShouldContain("fc03 101 102 103");
        output.ShouldContain("fc04 500 501 502");
        output.ShouldContain("fc01 1 1 0 1");
        output.ShouldContain("fc02 0 1 1 0");
        output.ShouldContain("fc23 300 99 302");
        output.ShouldContain("fc43 PropertyEba.Modbus");
        output.ShouldContain("done");
        var register = new ushort[1];
        store.GetRegisters(ModbusTable.HoldingRegisters, 20, register);
        register[0].ShouldBe((ushort)777);
    }
}
