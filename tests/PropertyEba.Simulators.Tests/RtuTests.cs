using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;
using PropertyEba.Simulators.Estates;
using PropertyEba.Testing;

namespace PropertyEba.Simulators.Tests;

/// <summary>Devices on an RS-485 line, simulated on a socat pseudo-terminal pair.</summary>
public sealed class RtuTests
{
    private const string Estate = """
        { "name": "rtu", "devices": [
            { "id": "tank-1", "model": "water-tank-level", "unitId": 3, "serial": { "port": "pty", "baudRate": 19200 } },
            { "id": "meter-1", "model": "power-meter-3p", "unitId": 5, "serial": { "port": "pty", "baudRate": 19200 } },
            { "id": "pumps-1", "model": "pump-set-duplex", "unitId": 1, "links": { "fills": "tank-1" } } ] }
        """;

    [Fact]
    public async Task Devices_on_a_serial_line_answer_modbus_rtu_to_our_master_and_to_mbpoll()
    {
        Prerequisite.Program("socat", "socat");
        var mbpoll = Prerequisite.Program("mbpoll", "mbpoll");
        var profiles = await DeviceProfileLoader.LoadDirectoryAsync(DeviceProfileLoader.DefaultDirectory, CancellationToken.None);
        await using var estate = await SimulatedEstate.StartAsync(EstateLoader.Parse(Estate, "rtu.json"), profiles, new SimulationOptions(), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var tank = estate.Devices[0];
        tank.Transport.ShouldBe("rtu");
        tank.SerialSettings.ShouldBe("19200 8N1");
        estate.Devices[1].Host.ShouldBe(tank.Host, "both devices share one bus");
        estate.Devices[2].Transport.ShouldBe("tcp");
        File.Exists(tank.Host).ShouldBeTrue();

        await using (var master = ModbusMaster.CreateRtu(new ModbusRtuMasterOptions
        {
            Serial = new ModbusSerialOptions { PortName = tank.Host, BaudRate = 19200, Parity = System.IO.Ports.Parity.None },
            Timeout = TimeSpan.FromSeconds(2),
        }))
        {
            var regs = await master.ReadInputRegistersAsync(3, 0, 1);
            (regs[0] / 1000.0).ShouldBe(estate.ReadValue("tank-1", "level"), 0.05);
            var volts = await master.ReadInputRegistersAsync(5, 0, 2);
            RegisterCodec.Decode(volts, ModbusDataType.Float32, RegisterOrder.ABCD).ShouldBe(estate.ReadValue("meter-1", "voltageL1"), 2.0);
        }

        var psi = new ProcessStartInfo(mbpoll, ["-m", "rtu", "-b", "19200", "-P", "none", "-a", "5", "-0", "-r", "0", "-t", "3:float", "-B", "-c", "1", "-1", "-o", "2", tank.Host])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, stdout + await process.StandardError.ReadToEndAsync());
        var volt = double.Parse(Regex.Match(stdout, @"^\[0\]:\s+([0-9.]+)", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
        volt.ShouldBe(estate.ReadValue("meter-1", "voltageL1"), 2.0);

        // The installer's probe reads the same bus.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        await using var probe = ServerProcess.Start(dotnet, [Path.Combine(AppContext.BaseDirectory, "PropertyEba.Simulators.dll"), "probe", tank.Host, "--baud", "19200", "--unit", "3", "--table", "di", "--address", "0", "--count", "2"]);
        (await probe.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(0, probe.Output);
        probe.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ShouldBe(["0 0", "1 0"], "low and overflow switches open");
    }
}
