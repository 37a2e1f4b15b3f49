using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;
using PropertyEba.Simulators.Devices;
using PropertyEba.Testing;

namespace PropertyEba.Simulators.Tests;

/// <summary>The sample estate on a stopped clock, so every value holds still while independent masters read it.</summary>
public sealed class FrozenGardenFixture : IAsyncLifetime
{
    public EstateHarness Harness { get; private set; } = null!;

    public SimulatedEstate Estate => Harness.Estate;

    public async Task InitializeAsync()
    {
        Harness = await EstateHarness.StartAsync("garden");
        Harness.Advance(TimeSpan.FromMinutes(10));
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    /// <summary>Every point of every device, with where it lives.</summary>
    public IEnumerable<(SimulatedDeviceEndpoint Device, PointDefinition Point)> AllPoints() =>
        Estate.Devices.SelectMany(d => Estate.ProfileOf(d.DeviceId).Points.Select(p => (d, p)));

    /// <summary>How close a wire value must be to the simulated value: the encoding's resolution.</summary>
    public static double Tolerance(PointDefinition p, double expected) => p.Type switch
    {
        ModbusDataType.Float32 => Math.Abs(expected) * 1e-6 + 1e-6,
        ModbusDataType.Float64 => Math.Abs(expected) * 1e-12,
        _ => Math.Abs(p.Scale) / 2 + 1e-9,
    };
}

public sealed class InteropTests(FrozenGardenFixture garden) : IClassFixture<FrozenGardenFixture>
{
    [Fact]
    public void Sample_estate_has_a_device_of_every_model()
    {
        garden.Estate.Devices.Select(d => d.Model).Distinct().Order().ShouldBe(DeviceModelCatalog.All.Select(m => m.Model).Order());
    }

    [Fact]
    public async Task Pymodbus_reads_every_point_of_every_model_with_its_documented_encoding()
    {
        var python = Prerequisite.DebianPython("pymodbus", "python3-pymodbus");
        var request = garden.AllPoints().Select(x => new Dictionary<string, object>
        {
            ["key"] = $"{x.Device.DeviceId}/{x.Point.Id}",
            ["port"] = x.Device.Port,
            ["unit"] = (int)x.Device.UnitId,
            ["table"] = x.Point.Table switch { ModbusTable.Coils => "coil", ModbusTable.DiscreteInputs => "discrete", ModbusTable.HoldingRegisters => "holding", _ => "input" },
            ["address"] = (int)x.Point.Address,
            ["type"] = x.Point.Type.ToString(),
            ["order"] = x.Point.Order.ToString(),
            ["bit"] = x.Point.Bit,
            ["scale"] = x.Point.Scale,
            ["offset"] = x.Point.Offset,
            ["span"] = x.Point.Span,
        }).ToList();
        var psi = new ProcessStartInfo(python, [Path.Combine(AppContext.BaseDirectory, "read_points.py")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(request));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        process.ExitCode.ShouldBe(0, await stderr);
        var values = JsonSerializer.Deserialize<Dictionary<string, double>>(await stdout)!;
        values.Count.ShouldBe(request.Count);
        foreach (var (device, point) in garden.AllPoints())
        {
            var expected = garden.Estate.ReadValue(device.DeviceId, point.Id);
            var actual = values[$"{device.DeviceId}/{point.Id}"];
            actual.ShouldBe(expected, FrozenGardenFixture.Tolerance(point, expected), $"{device.DeviceId} ({device.Model}) {point.Id}: {point.Table} {point.Address} {point.Type} {point.Order}");
        }
    }

    [Fact]
    public async Task Mbpoll_reads_every_point_of_every_model_with_its_documented_encoding()
    {
        var mbpoll = Prerequisite.Program("mbpoll", "mbpoll");
        foreach (var (device, point) in garden.AllPoints())
        {
            var expected = garden.Estate.ReadValue(device.DeviceId, point.Id);
            var what = $"{device.DeviceId} ({device.Model}) {point.Id}: {point.Table} {point.Address} {point.Type} {point.Order}";
            var table = point.Table switch { ModbusTable.Coils => "0", ModbusTable.DiscreteInputs => "1", ModbusTable.InputRegisters => "3", _ => "4" };
            var floatWithWordOrder = point.Type == ModbusDataType.Float32 && point.Order is RegisterOrder.ABCD or RegisterOrder.CDAB;
            if (floatWithWordOrder)
            {
                // mbpoll decodes floats itself: -B for high word first (ABCD), default low word first (CDAB).
                var args = new List<string> { "-t", table + ":float", "-c", "1" };
                if (point.Order == RegisterOrder.ABCD)
                {
                    args.Add("-B");
                }

                var f = (await MbpollAsync(mbpoll, device, point.Address, args))[0];
                (f * point.Scale + point.Offset).ShouldBe(expected, Math.Abs(expected) * 1e-5 + 1e-4, what);
                continue;
            }

            var raw = await MbpollAsync(mbpoll, device, point.Address, ["-t", table, "-c", point.Span.ToString(CultureInfo.InvariantCulture)]);
            if (point.Table is ModbusTable.Coils or ModbusTable.DiscreteInputs)
            {
                raw[0].ShouldBe(expected, what);
                continue;
            }

            // Compare the registers on the wire with the documented encoding of the simulated value.
            var regs = new ushort[point.Span];
            if (point.Type == ModbusDataType.Bit)
            {
                (((int)raw[0] >> point.Bit) & 1).ShouldBe((int)expected, what);
                continue;
            }

            RegisterCodec.Encode(expected, regs, point.Type, point.Order, point.Bit, point.Scale, point.Offset);
            raw.Select(r => (ushort)r).ShouldBe(regs, what);
        }
    }

    private static async Task<double[]> MbpollAsync(string mbpoll, SimulatedDeviceEndpoint device, int address, IEnumerable<string> extra)
    {
        var args = new List<string> { "-m", "tcp", "-a", device.UnitId.ToString(CultureInfo.InvariantCulture), "-0", "-r", address.ToString(CultureInfo.InvariantCulture), "-1", "-o", "3", "-p", device.Port.ToString(CultureInfo.InvariantCulture) };
        args.AddRange(extra);
        args.Add(device.Host);
        var psi = new ProcessStartInfo(mbpoll, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(cts.Token);
        process.ExitCode.ShouldBe(0, $"mbpoll {string.Join(' ', args)}: {stdout} {stderr}");
        return [.. Regex.Matches(stdout, @"^\[\d+\]:\s+(-?[0-9.eE+-]+)", RegexOptions.Multiline).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
    }
}
