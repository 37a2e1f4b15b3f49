using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;
using PropertyEba.Simulators.Devices;
using PropertyEba.Simulators.Docs;

namespace PropertyEba.Simulators.Tests;

public sealed class ProfileTests
{
    private static IReadOnlyDictionary<string, DeviceProfile> Load() =>
        DeviceProfileLoader.LoadDirectoryAsync(RepoPaths.Profiles, CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public void Every_profile_file_is_valid_and_every_model_has_one()
    {
        var profiles = Load();
        profiles.Keys.Order().ShouldBe(DeviceModelCatalog.All.Select(m => m.Model).Order());
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Profiles, "*.json"))
        {
            Path.GetFileNameWithoutExtension(file).ShouldBeOneOf([.. profiles.Keys], "file name = model id");
        }
    }

    [Fact]
    public void Profile_that_defines_a_point_the_cloud_computes_is_refused_naming_it()
    {
        var ex = Should.Throw<DeviceProfileException>(() => DeviceProfileLoader.Parse("""
            { "model": "rogue", "name": "Rogue", "nameZh": "测试", "system": "power",
              "points": [ { "id": "comm.lost", "name": "Lost", "nameZh": "中断", "kind": "state", "table": "discrete", "address": 0, "type": "Bool" } ] }
            """, "rogue.json"));

        ex.Message.ShouldContain("point 'comm.lost'");
        ex.Message.ShouldContain("reserved");
    }

    [Fact]
    public void Points_of_a_profile_do_not_overlap_except_bits_sharing_a_status_register()
    {
        foreach (var profile in Load().Values)
        {
            var used = new Dictionary<(ModbusTable, int), string>();
            foreach (var p in profile.Points)
            {
                for (var a = p.Address; a < p.Address + p.Span; a++)
                {
                    if (used.TryGetValue((p.Table, a), out var other))
                    {
                        (p.Type == ModbusDataType.Bit && profile.FindPoint(other)!.Type == ModbusDataType.Bit && profile.FindPoint(other)!.Bit != p.Bit)
                            .ShouldBeTrue($"{profile.Model}: {p.Id} overlaps {other} at {p.Table} {a}");
                    }

                    used[(p.Table, a)] = p.Id;
                }
            }
        }
    }

    [Fact]
    public void Every_point_has_an_english_and_a_chinese_name()
    {
        foreach (var profile in Load().Values)
        {
            profile.NameZh.ShouldNotBeNullOrWhiteSpace(profile.Model);
            foreach (var p in profile.Points)
            {
                p.Name.ShouldNotBeNullOrWhiteSpace($"{profile.Model}.{p.Id}");
                p.NameZh.ShouldNotBeNullOrWhiteSpace($"{profile.Model}.{p.Id}");
            }
        }
    }

    [Theory]
    [InlineData("电压")]
    [InlineData("电流")]
    [InlineData("电度")]
    [InlineData("功率因素")]
    [InlineData("开关状态")]
    [InlineData("变压器温度")]
    [InlineData("发电机运行")]
    [InlineData("发电机合闸")]
    [InlineData("市电来电信号")]
    [InlineData("发电机电池内阻")]
    [InlineData("风机开关控制")]
    [InlineData("地面进水检测")]
    [InlineData("市政进水压力")]
    [InlineData("生活水箱水位")]
    [InlineData("生活管压")]
    [InlineData("水泵运行状态")]
    [InlineData("变频器故障")]
    [InlineData("消防主机故障")]
    [InlineData("CO2主机故障状态")]
    [InlineData("消防管压")]
    [InlineData("喷淋管压")]
    [InlineData("消防泵状态")]
    [InlineData("消防水池水位")]
    [InlineData("火警报警状态")]
    public void Every_monitored_point_of_the_EBA_list_is_in_a_profile(string ebaTerm)
    {
        Load().Values.SelectMany(p => p.Points).ShouldContain(p => p.NameZh!.Contains(ebaTerm), $"a point named with 「{ebaTerm}」");
    }

    [Fact]
    public void Encodings_cover_both_float_word_orders_scaled_integers_counters_and_packed_bits()
    {
        var points = Load().Values.SelectMany(p => p.Points).ToList();
        points.ShouldContain(p => p.Type == ModbusDataType.Float32 && p.Order == RegisterOrder.ABCD);
        points.ShouldContain(p => p.Type == ModbusDataType.Float32 && p.Order == RegisterOrder.CDAB);
        points.ShouldContain(p => p.Type == ModbusDataType.UInt32 && p.Order == RegisterOrder.CDAB && p.Kind == PointKind.Counter);
        points.ShouldContain(p => p.Type == ModbusDataType.UInt32 && p.Order == RegisterOrder.ABCD && p.Kind == PointKind.Counter);
        points.ShouldContain(p => p.Type == ModbusDataType.Int16 && p.Scale == 0.1);
        points.Count(p => p.Type == ModbusDataType.Bit).ShouldBeGreaterThan(20);
        points.ShouldContain(p => p.Table == ModbusTable.Coils && p.Writable && p.Kind == PointKind.Command);
    }

    [Fact]
    public void Device_reference_pages_in_docs_are_up_to_date_with_the_profiles()
    {
        var pages = DevicePageWriter.RenderAll(Load());
        foreach (var (file, text) in pages)
        {
            var path = Path.Combine(RepoPaths.DevicePages, file);
            File.Exists(path).ShouldBeTrue($"{path} is missing; run: dotnet run --project simulators/PropertyEba.Simulators -- docs");
            File.ReadAllText(path).ShouldBe(text, $"{path} is stale; run: dotnet run --project simulators/PropertyEba.Simulators -- docs");
        }

        Directory.EnumerateFiles(RepoPaths.DevicePages, "*.md").Select(Path.GetFileName).Order().ShouldBe(pages.Keys.Order());
    }
}
