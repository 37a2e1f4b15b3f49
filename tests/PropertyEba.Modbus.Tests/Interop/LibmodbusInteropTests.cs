using System.Globalization;
using PropertyEba.Testing;

namespace PropertyEba.Modbus.Tests.Interop;

/// <summary>libmodbus (Debian's libmodbus-dev), the reference C implementation, as client and server.</summary>
[Collection(SerialLineCollection.Name)]
public sealed class LibmodbusInteropTests
{
    [Fact]
    public async Task Libmodbus_client_passes_its_check_against_our_TCP_slave()
    {
        var client = await LibmodbusReference.ClientAsync();
        var store = new ModbusDataStore();
        store.SetRegisters(ModbusTable.InputRegisters, 0, [10000, 10001, 10002, 10003]);
        store.SetRegisters(ModbusTable.HoldingRegisters, 399, [399, 400, 401, 402]);
        for (ushort i = 0; i < 8; i++)
        {
            store.SetBit(ModbusTable.DiscreteInputs, i, i % 2 == 0);
        }

        await using var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0 });
        slave.AddUnit(1, store);
        await slave.StartAsync(CancellationToken.None);

        var (exit, output) = await ExternalProgram.RunAsync(client, ["127.0.0.1", slave.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture), "check"]);

        exit.ShouldBe(0, output);
        output.ShouldContain("fc03 11 12 13 14 15");
        output.ShouldContain("fc04 10000 10001 10002 10003");
        output.ShouldContain("fc01 1 0 1 1 0");
        output.ShouldContain("fc02 1 0 1 0 1 0 1 0");
        output.ShouldContain("fc23 399 7 8 402");
        output.ShouldContain("exception 2");
        store.GetBit(ModbusTable.Coils, 310).ShouldBeTrue();
        var register = new ushort[1];
        store.GetRegisters(ModbusTable.HoldingRegisters, 200, register);
        register[0].ShouldBe((ushort)0xBEEF);
    }

    [Fact]
    public async Task Our_TCP_master_exercises_every_function_code_on_a_libmodbus_server()
    {
        var server = await LibmodbusReference.ServerAsync();
        var port = FreePort.Next();
        await using var process = ServerProcess.Start(server, ["tcp", port.ToString(CultureInfo.InvariantCulture)]);
        await process.WaitForTcpAsync(port);
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = port });

        await ReferenceTables.ExerciseEveryFunctionCodeAsync(master);

        // libmodbus does not implement Read Device Identification: it must come back as a typed exception.
        var ex = await Should.ThrowAsync<ModbusException>(() => master.ReadDeviceIdentificationAsync(1));
        ex.ExceptionCode.ShouldBe(ModbusExceptionCode.IllegalFunction);
        ex.FunctionCode.ShouldBe((byte)0x2B);
    }

    [Fact]
    public async Task Our_RTU_master_exercises_every_function_code_on_a_libmodbus_RTU_server()
    {
        var server = await LibmodbusReference.ServerAsync();
        await using var pty = await PseudoTerminalPair.StartAsync();
        await using var process = ServerProcess.Start(server, ["rtu", pty.PortB, "19200"]);
        await process.WaitForOutputAsync("ready");
        await using var master = ModbusMaster.CreateRtu(new ModbusRtuMasterOptions
        {
            Serial = new ModbusSerialOptions { PortName = pty.PortA, BaudRate = 19200 },
            Timeout = TimeSpan.FromSeconds(2),
        });

        await ReferenceTables.ExerciseEveryFunctionCodeAsync(master);
    }

    [Fact]
    public async Task Our_RTU_over_TCP_master_reaches_a_libmodbus_RTU_server_behind_a_device_server()
    {
        var server = await LibmodbusReference.ServerAsync();
        var socat = Prerequisite.Program("socat", "socat");
        await using var pty = await PseudoTerminalPair.StartAsync();
        await using var process = ServerProcess.Start(server, ["rtu", pty.PortB, "19200"]);
        await process.WaitForOutputAsync("ready");

        // socat plays the serial device server, bridging one TCP connection byte for byte onto the line. It
        // serves a single connection (with fork, a finished child can linger on the line and eat a reply), so
        // readiness is probed with the master itself rather than with a throw-away connection.
        var port = FreePort.Next();
        await using var deviceServer = ServerProcess.Start(socat, [$"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr", $"GOPEN:{pty.PortA},raw,echo=0"]);
        await using var master = ModbusMaster.CreateRtuOverTcp(new ModbusRtuOverTcpMasterOptions { Host = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(2) });
        await Eventually.UntilAsync(async ct => (await master.ReadHoldingRegistersAsync(1, 0, 1, ct)).Length == 1, $"the device server to pass requests ({deviceServer.Output})");

        await ReferenceTables.ExerciseEveryFunctionCodeAsync(master);
    }
}
