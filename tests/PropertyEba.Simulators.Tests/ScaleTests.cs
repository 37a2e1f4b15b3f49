using Microsoft.Extensions.Logging.Abstractions;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Profiles;
using PropertyEba.Simulators.Control;
using PropertyEba.Simulators.Estates;
using PropertyEba.Simulators.Hosting;

namespace PropertyEba.Simulators.Tests;

public sealed class ScaleTests
{
    [Fact]
    public async Task One_process_serves_100_estates_of_20_devices_each_behind_one_port_per_estate()
    {
        var profiles = await DeviceProfileLoader.LoadDirectoryAsync(DeviceProfileLoader.DefaultDirectory, CancellationToken.None);
        var template = await EstateLoader.LoadAsync("garden", CancellationToken.None);
        await using var farm = await EstateFarm.StartAsync(template, 100, profiles, new SimulationOptions { TickInterval = TimeSpan.FromSeconds(1) }, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        farm.DeviceCount.ShouldBe(2000);
        farm.Estates.Select(e => e.Name).Distinct().Count().ShouldBe(100);
        farm.Estates.Select(e => e.Devices[0].Port).Distinct().Count().ShouldBe(100);
        farm.Estates.ShouldAllBe(e => e.Devices.Select(d => d.Port).Distinct().Count() == 1);

        // Read one register of every device of every estate: 2,000 devices answering over 100 connections.
        var reads = await Task.WhenAll(farm.Estates.Select(async e =>
        {
            await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = e.Devices[0].Port, Timeout = TimeSpan.FromSeconds(5) });
            var answered = 0;
            foreach (var d in e.Devices)
            {
                var first = e.ProfileOf(d.DeviceId).Points[0];
                _ = first.Table switch
                {
                    ModbusTable.Coils => (await master.ReadCoilsAsync(d.UnitId, first.Address, 1)).Length,
                    ModbusTable.DiscreteInputs => (await master.ReadDiscreteInputsAsync(d.UnitId, first.Address, 1)).Length,
                    ModbusTable.HoldingRegisters => (await master.ReadHoldingRegistersAsync(d.UnitId, first.Address, 1)).Length,
                    _ => (await master.ReadInputRegistersAsync(d.UnitId, first.Address, 1)).Length,
                };
                answered++;
            }

            return answered;
        }));
        reads.Sum().ShouldBe(2000);

        // Each estate keeps its own seed and state: a fault in one leaves the others alone.
        var last = farm.Estates[^1];
        last.InjectFault("tank-low");
        await using var tank = new PointReader(last, "tank-1");
        await PropertyEba.Testing.Eventually.UntilAsync(ct => tank.ReadAsync("lowLevel", ct), v => v == 1, "tank low in the last estate", TimeSpan.FromSeconds(10));
        farm.Estates[0].ReadValue("tank-1", "lowLevel").ShouldBe(0);

        await using var control = await ControlEndpoint.StartAsync(farm.Estates, new ControlEndpointOptions(), CancellationToken.None);
        using var http = new HttpClient();
        var listed = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<List<EstateSummaryDto>>(http, new Uri(control.BaseUri, "estates"));
        listed!.Count.ShouldBe(100);
    }
}
