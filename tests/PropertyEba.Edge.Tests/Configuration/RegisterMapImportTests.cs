using ClosedXML.Excel;
using PropertyEba.Edge.Configuration.Import;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Tests.Configuration;

/// <summary>The two shipped vendor layouts, imported from the sample sheets and probed against a simulated meter (a real Modbus TCP slave on loopback).</summary>
public sealed class RegisterMapImportTests : IAsyncLifetime
{
    private static readonly string Samples = Path.Combine(PropertyEba.Testing.RepositoryRoot.Path, "edge", "PropertyEba.Edge", "samples");
    private readonly string _dir = Directory.CreateTempSubdirectory("eba-import-").FullName;
    private readonly ModbusDataStore _meter = new();
    private ModbusTcpSlave _slave = null!;

    public async Task InitializeAsync()
    {
        _slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0 });
        _slave.AddUnit(7, _meter);
        await _slave.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _slave.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Probe => $"127.0.0.1:{_slave.LocalEndPoint.Port}";

    private void Set(ushort address, double value, ModbusDataType type, double scale = 1)
    {
        Span<ushort> regs = stackalloc ushort[RegisterCodec.RegisterCount(type)];
        RegisterCodec.Encode(value, regs, type, scale: scale);
        _meter.SetRegisters(ModbusTable.HoldingRegisters, address, regs);
    }

    [Fact]
    public async Task Acrel_sheet_becomes_a_profile_whose_dry_run_read_shows_the_meter_s_values()
    {
        // The meter as its Acrel manual describes it: hex protocol addresses, 0.1 V and 0.01 A multipliers.
        Set(0x61, 230.1, ModbusDataType.UInt16, 0.1);
        Set(0x64, 12.34, ModbusDataType.UInt16, 0.01);
        Set(0x16A, -5.5, ModbusDataType.Int32, 0.001);
        Set(0x3F, 123456.78, ModbusDataType.UInt32, 0.01);
        var outPath = Path.Combine(_dir, "acrel-meter.json");
        var output = new StringWriter();

        var exit = await ImportRegisterMapCommand.RunAsync(
            [Path.Combine(Samples, "acrel-meter.csv"), "--layout", "acrel", "--out", outPath, "--model", "acrel-adl400", "--name-zh", "安科瑞电表", "--probe", Probe, "--unit", "7"],
            output, CancellationToken.None);

        exit.ShouldBe(0, output.ToString());
        var text = output.ToString();
        text.ShouldContain("[08FD] = 230.1 V");
        text.ShouldContain("= 12.34 A");
        text.ShouldContain("= -5.5 kW");
        text.ShouldContain("= 123457 kWh");
        var profile = DeviceProfileLoader.Parse(await File.ReadAllTextAsync(outPath), outPath);
        profile.Model.ShouldBe("acrel-adl400");
        profile.Points.Count.ShouldBe(11);
        var voltage = profile.FindPoint("phaseAVoltage").ShouldNotBeNull();
        (voltage.Table, voltage.Address, voltage.Type, voltage.Scale, voltage.Unit, voltage.NameZh).ShouldBe((ModbusTable.HoldingRegisters, (ushort)0x61, ModbusDataType.UInt16, 0.1, "V", "A相电压"));
        profile.FindPoint("importActiveEnergy")!.Kind.ShouldBe(PointKind.Counter);
        profile.FindPoint("relay1Output")!.Writable.ShouldBeTrue();
    }

    [Fact]
    public async Task Schneider_sheet_keeps_the_vendor_s_one_based_register_numbers_and_reads_them_at_the_protocol_address()
    {
        Set(3019, 400.5, ModbusDataType.Float32); // "Voltage A-B" is register 3020 = protocol address 3019
        Set(3203, 987654321, ModbusDataType.Int64);
        var outPath = Path.Combine(_dir, "pm5300.json");
        var output = new StringWriter();

        var exit = await ImportRegisterMapCommand.RunAsync(
            [Path.Combine(Samples, "schneider-pm5300.csv"), "--layout", "schneider-pm", "--out", outPath, "--manufacturer", "Schneider Electric", "--probe", Probe, "--unit", "7"],
            output, CancellationToken.None);

        exit.ShouldBe(0, output.ToString());
        output.ToString().ShouldContain("= 400.5 V");
        output.ToString().ShouldContain("= 9.87654e+08 Wh");
        var profile = DeviceProfileLoader.Parse(await File.ReadAllTextAsync(outPath), outPath);
        var vab = profile.FindPoint("voltageAB").ShouldNotBeNull();
        (vab.Address, vab.AddressBase, vab.WrittenAddress, vab.Type).ShouldBe(((ushort)3019, 1, 3020, ModbusDataType.Float32));
        profile.FindPoint("activeEnergyDeliveredIntoLoad")!.Kind.ShouldBe(PointKind.Counter);
        profile.FindPoint("powerFactorTotal")!.Unit.ShouldBeNull("'-' means no unit");
    }

    [Fact]
    public void Excel_sheet_imports_like_the_same_list_as_csv()
    {
        var rows = RegisterSheetReader.Read(Path.Combine(Samples, "schneider-pm5300.csv"));
        var xlsx = Path.Combine(_dir, "pm5300.xlsx");
        using (var workbook = new XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("Register list");
            for (var r = 0; r < rows.Count; r++)
            {
                for (var c = 0; c < rows[r].Count; c++)
                {
                    // Numbers as numbers, as a vendor's workbook has them.
                    if (double.TryParse(rows[r][c], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n))
                    {
                        sheet.Cell(r + 1, c + 1).Value = n;
                    }
                    else
                    {
                        sheet.Cell(r + 1, c + 1).Value = rows[r][c];
                    }
                }
            }

            workbook.SaveAs(xlsx);
        }

        var identity = new ProfileIdentity("pm5300", "PM5300", null, null, "power");
        var fromCsv = RegisterMapImporter.Import(rows, RegisterMapLayout.SchneiderPm, identity, "csv");
        var fromXlsx = RegisterMapImporter.Import(RegisterSheetReader.Read(xlsx), RegisterMapLayout.SchneiderPm, identity, "xlsx");

        fromXlsx.Problems.ShouldBeEmpty(string.Join(Environment.NewLine, fromXlsx.Problems));
        fromXlsx.Json.ShouldBe(fromCsv.Json);
    }

    [Fact]
    public async Task A_point_the_meter_refuses_fails_the_dry_run_and_no_profile_is_written()
    {
        _meter.BeforeRead = (table, address, count) => address == 0x100 ? ModbusExceptionCode.IllegalDataAddress : null;
        var outPath = Path.Combine(_dir, "acrel.json");
        var output = new StringWriter();

        var exit = await ImportRegisterMapCommand.RunAsync([Path.Combine(Samples, "acrel-meter.csv"), "--layout", "acrel", "--out", outPath, "--probe", Probe, "--unit", "7"], output, CancellationToken.None);

        exit.ShouldBe(1);
        output.ToString().ShouldContain("relay1Output");
        output.ToString().ShouldContain("FAILED");
        File.Exists(outPath).ShouldBeFalse();
    }

    [Fact]
    public void Every_bad_row_is_reported_with_its_row_number_column_value_and_allowed_values()
    {
        IReadOnlyList<IReadOnlyList<string>> rows =
        [
            ["Register", "Action", "Size", "Type", "Units", "Scale", "Description"],
            ["3000", "R", "2", "FLOAT32", "A", "-", "Current A"],
            ["zero", "R", "2", "FLOAT32", "A", "-", "Current B"],
            ["3004", "R", "2", "REAL", "A", "-", "Current C"],
            ["3006", "R", "4", "FLOAT32", "A", "x", "Current N"],
            ["3008", "R", "2", "FLOAT32", "A", "-", "Current A"],
        ];

        var (json, _, problems) = RegisterMapImporter.Import(rows, RegisterMapLayout.SchneiderPm, new("m", "M", null, null, "power"), "list.csv");

        json.ShouldBeNull();
        problems.ShouldContain(p => p.Field == "row 3, Register" && p.Value == "'zero'");
        problems.ShouldContain(p => p.Field == "row 4, Type" && p.Value == "'REAL'" && p.Allowed!.Contains("FLOAT32"));
        problems.ShouldContain(p => p.Field == "row 5, Size" && p.Allowed == "2 for FLOAT32");
        problems.ShouldContain(p => p.Field == "row 5, Scale" && p.Value == "'x'");
        problems.ShouldContain(p => p.Field == "row 6, Description" && p.Message.Contains("repeated"));
    }
}
