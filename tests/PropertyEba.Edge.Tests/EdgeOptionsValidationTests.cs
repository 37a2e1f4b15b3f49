using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PropertyEba.Edge.Tests.Infrastructure;

namespace PropertyEba.Edge.Tests;

public sealed class EdgeOptionsValidationTests
{
    [Fact]
    public void Rejects_a_buffer_age_cap_or_sync_interval_out_of_range()
    {
        var options = TestOptions.For(1883, "data/edge-buffer", 1502);
        options.BufferMaxAge = TimeSpan.FromSeconds(5);
        options.BufferSyncInterval = TimeSpan.FromSeconds(-1);

        var problems = EdgeOptionsValidator.Collect(options, TestDevice.Profiles);

        problems.ShouldContain(p => p.StartsWith("Edge:BufferMaxAge = 00:00:05: must be between 00:01:00 and 366.00:00:00", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("Edge:BufferSyncInterval = -00:00:01: must be between 00:00:00 and 00:10:00", StringComparison.Ordinal));
        problems.Count.ShouldBe(2, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Reports_every_invalid_option_at_once()
    {
        var options = new EdgeOptions
        {
            Tenant = "bad tenant",
            Site = "",
            EdgeId = "e1",
            Mqtt = new EdgeMqttOptions { Host = "", Port = 70000, Password = "secret" },
            PollInterval = TimeSpan.FromMilliseconds(5),
            BufferMaxBytes = 10,
            Devices =
            [
                new EdgeDeviceOptions { DeviceId = "pump-1", Model = "no-such-model", Host = "10.0.0.5", Port = 0, UnitId = 300 },
                new EdgeDeviceOptions { DeviceId = "pump-1", Model = TestDevice.Model, Host = "", MaxRegistersPerRead = 200 },
            ],
        };

        var problems = EdgeOptionsValidator.Collect(options, TestDevice.Profiles);

        problems.ShouldContain(p => p.StartsWith("Edge:Tenant = 'bad tenant'", StringComparison.Ordinal) && p.Contains("letters, digits", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("Edge:Site = ''", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("Edge:Mqtt:Host is empty", StringComparison.Ordinal));
        problems.ShouldContain("Edge:Mqtt:Port = 70000: must be 1..65535");
        problems.ShouldContain(p => p.StartsWith("Edge:Mqtt:Password is set but Edge:Mqtt:Username is empty", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("Edge:PollInterval = 00:00:00.0050000: must be between 00:00:00.0500000", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("Edge:BufferMaxBytes = 10: must be at least 65536", StringComparison.Ordinal));
        problems.ShouldContain($"Edge:Devices[0]:Model = 'no-such-model' matches no device profile; known models: {TestDevice.Model}");
        problems.ShouldContain("Edge:Devices[0]:Port = 0: must be 1..65535");
        problems.ShouldContain("Edge:Devices[0]:UnitId = 300: must be 0..255");
        problems.ShouldContain(p => p.StartsWith("Edge:Devices[1]:DeviceId = 'pump-1' is used by another device", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("Edge:Devices[1]:Host is empty", StringComparison.Ordinal));
        problems.ShouldContain("Edge:Devices[1]:MaxRegistersPerRead = 200: must be 4..125");
        problems.Count.ShouldBe(13, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Checks_serial_lines_and_shared_connections()
    {
        var options = new EdgeOptions
        {
            Tenant = "t1",
            Site = "s1",
            EdgeId = "e1",
            Devices =
            [
                new EdgeDeviceOptions { DeviceId = "a", Model = TestDevice.Model, Transport = ModbusTransportKind.Rtu, SerialPort = "", BaudRate = 10, DataBits = 7 },
                new EdgeDeviceOptions { DeviceId = "b", Model = TestDevice.Model, Transport = ModbusTransportKind.Rtu, SerialPort = "/dev/ttyUSB0", BaudRate = 9600, UnitId = 1 },
                new EdgeDeviceOptions { DeviceId = "c", Model = TestDevice.Model, Transport = ModbusTransportKind.Rtu, SerialPort = "/dev/ttyUSB0", BaudRate = 19200, UnitId = 2 },
                new EdgeDeviceOptions { DeviceId = "d", Model = TestDevice.Model, Transport = ModbusTransportKind.RtuOverTcp, Host = "10.0.0.9", Port = 4001, UnitId = 1 },
                new EdgeDeviceOptions { DeviceId = "e", Model = TestDevice.Model, Transport = ModbusTransportKind.RtuOverTcp, Host = "10.0.0.9", Port = 4001, UnitId = 2, Rs485DirectionControl = true },
                new EdgeDeviceOptions { DeviceId = "f", Model = TestDevice.Model, Transport = ModbusTransportKind.Rtu, SerialPort = "/dev/ttyUSB1", UnitId = 1, Rs485DirectionControl = true },
                new EdgeDeviceOptions { DeviceId = "g", Model = TestDevice.Model, Transport = ModbusTransportKind.Rtu, SerialPort = "/dev/ttyUSB1", UnitId = 2 },
            ],
        };

        var problems = EdgeOptionsValidator.Collect(options, TestDevice.Profiles);

        problems.ShouldBe(
        [
            "Edge:Devices[0]:SerialPort is empty: transport Rtu needs the serial port of the line (e.g. /dev/ttyUSB0)",
            "Edge:Devices[0]:BaudRate = 10: must be 300..921600 (usually 9600 or 19200)",
            "Edge:Devices[0]:DataBits = 7: Modbus RTU uses 8 data bits",
            "Edge:Devices[4]:Rs485DirectionControl is on for transport RtuOverTcp: it switches a local RS-485 port (transport Rtu); a gateway or device server switches its own line",
            "Edge:Devices: 'b' and 'c' share serial port /dev/ttyUSB0 but not its settings (Transport, BaudRate, Parity, DataBits, StopBits, Rs485DirectionControl): devices on one connection must agree",
            "Edge:Devices: 'f' and 'g' share serial port /dev/ttyUSB1 but not its settings (Transport, BaudRate, Parity, DataBits, StopBits, Rs485DirectionControl): devices on one connection must agree",
        ]);
    }

    [Fact]
    public void Agent_constructor_refuses_invalid_options_listing_every_problem()
    {
        var options = new EdgeOptions { Tenant = "t", Site = "s", EdgeId = "e" };
        var ex = Should.Throw<OptionsValidationException>(() => new EdgeAgent(options, TestDevice.Profiles, TimeProvider.System, NullLoggerFactory.Instance));
        ex.Failures.ShouldContain(f => f.StartsWith("Edge:Devices is empty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Host_fails_at_start_with_every_configuration_mistake()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Edge:Tenant"] = "t1",
            ["Edge:Site"] = "s/1",
            ["Edge:EdgeId"] = "e1",
            ["Edge:Mqtt:Port"] = "0",
            ["Edge:Devices:0:DeviceId"] = "tank-1",
            ["Edge:Devices:0:Model"] = "not-a-model",
            ["Edge:Devices:0:Host"] = "127.0.0.1",
        }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEdgeAgent(config);
        using var host = builder.Build();

        var ex = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        ex.Failures.ShouldContain(f => f.StartsWith("Edge:Site = 's/1'", StringComparison.Ordinal));
        ex.Failures.ShouldContain("Edge:Mqtt:Port = 0: must be 1..65535");
        ex.Failures.ShouldContain(f => f.StartsWith("Edge:Devices[0]:Model = 'not-a-model' matches no device profile; known models: ", StringComparison.Ordinal)
            && f.Contains("water-tank-level", StringComparison.Ordinal));
    }

    [Fact]
    public void Shipped_example_estate_is_valid_and_shipped_appsettings_carry_no_devices_that_would_merge()
    {
        var check = new PropertyEba.Edge.Configuration.EdgeConfigurationValidator(new DeviceProfileCatalog()).ValidateFile(Path.Combine(AppContext.BaseDirectory, "estate.example.json"));
        check.IsValid.ShouldBeTrue(string.Join("; ", check.Problems));
        check.Options!.Devices.Count.ShouldBe(3);

        // Configuration merges arrays by index: example devices here would join every estate's own devices.
        var config = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        config.GetSection("Edge:Devices").GetChildren().ShouldBeEmpty();
    }
}
