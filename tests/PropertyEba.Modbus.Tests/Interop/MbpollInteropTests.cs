using System.Globalization;
using PropertyEba.Testing;

namespace PropertyEba.Modbus.Tests.Interop;

/// <summary>Debian's mbpoll (built on libmodbus) as master against our slave, over TCP and over RTU.</summary>
[Collection(SerialLineCollection.Name)]
public sealed class MbpollInteropTests
{
    private static string Mbpoll => Prerequisite.Program("mbpoll", "mbpoll");

    [Fact]
    public async Task Mbpoll_reads_and_writes_our_TCP_slave()
    {
        var store = new ModbusDataStore();
        store.SetRegisters(ModbusTable.HoldingRegisters, 10, [111, 222, 333]);
        store.SetBit(ModbusTable.DiscreteInputs, 4, true);
        await using var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0 });
        slave.AddUnit(1, store);
        await slave.StartAsync(CancellationToken.None);
        string[] tcp = ["-m", "tcp", "-a", "1", "-0", "-1", "-p", slave.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture)];

        var read = await ExternalProgram.RunAsync(Mbpoll, [.. tcp, "-t", "4", "-r", "10", "-c", "3", "127.0.0.1"]);
        var write = await ExternalProgram.RunAsync(Mbpoll, [.. tcp, "-t", "4", "-r", "40", "127.0.0.1", "7", "8", "9"]);
        var inputs = await ExternalProgram.RunAsync(Mbpoll, [.. tcp, "-t", "1", "-r", "3", "-c", "3", "127.0.0.1"]);

        read.ExitCode.ShouldBe(0, read.Output);
        ExternalProgram.MbpollValues(read.Output).ShouldBe([(10, 111), (11, 222), (12, 333)]);
        write.ExitCode.ShouldBe(0, write.Output);
        var written = new ushort[3];
        store.GetRegisters(ModbusTable.HoldingRegisters, 40, written);
        written.ShouldBe(new ushort[] { 7, 8, 9 });
        ExternalProgram.MbpollValues(inputs.Output).ShouldBe([(3, 0), (4, 1), (5, 0)]);
    }

    [Fact]
    public async Task Mbpoll_reads_and_writes_our_RTU_slave()
    {
        var store = new ModbusDataStore();
        store.SetRegisters(ModbusTable.InputRegisters, 0, [1, 2]);
        await using var pty = await PseudoTerminalPair.StartAsync();
        await using var slave = new ModbusRtuSlave(new ModbusSerialOptions { PortName = pty.PortB, BaudRate = 19200 });
        slave.AddUnit(5, store);
        await slave.StartAsync(CancellationToken.None);
        string[] rtu = ["-m", "rtu", "-a", "5", "-b", "19200", "-P", "even", "-0", "-1"];

        var read = await ExternalProgram.RunAsync(Mbpoll, [.. rtu, "-t", "3", "-r", "0", "-c", "2", pty.PortA]);
        var coil = await ExternalProgram.RunAsync(Mbpoll, [.. rtu, "-t", "0", "-r", "9", pty.PortA, "1"]);

        read.ExitCode.ShouldBe(0, read.Output);
        ExternalProgram.MbpollValues(read.Output).ShouldBe([(0, 1), (1, 2)]);
        coil.ExitCode.ShouldBe(0, coil.Output);
        store.GetBit(ModbusTable.Coils, 9).ShouldBeTrue();
    }
}
