using Microsoft.Extensions.Logging;
using PropertyEba.Edge.Tests.Infrastructure;
using PropertyEba.Testing;

namespace PropertyEba.Edge.Tests.Runtime;

public sealed class BusLoadTests
{
    [Fact]
    public async Task At_load_the_agent_warns_when_the_polling_does_not_fit_a_serial_line_and_says_so_in_health()
    {
        await using var slow = await SerialLine.StartAsync();
        await using var fast = await SerialLine.StartAsync();
        var scratch = TestOptions.TempDirectory();
        var log = new ListLogger();
        var options = TestOptions.For(FreePort.Next(), scratch);

        // The test profile is 4 reads a cycle; at 1200 baud that is about 0.4 s of bus time, polled every 100 ms.
        options.Devices.Add(new EdgeDeviceOptions { DeviceId = "slow", Model = TestDevice.Model, Transport = ModbusTransportKind.Rtu, SerialPort = slow.AgentEnd, BaudRate = 1200, PollInterval = TimeSpan.FromMilliseconds(100) });
        options.Devices.Add(new EdgeDeviceOptions { DeviceId = "fast", Model = TestDevice.Model, Transport = ModbusTransportKind.Rtu, SerialPort = fast.AgentEnd, BaudRate = 115200, PollInterval = TimeSpan.FromSeconds(5) });
        try
        {
            await using var agent = new RunningAgent(options, new SingleLoggerFactory(log));
            var health = await Eventually.UntilAsync(_ => Task.FromResult(agent.Agent.GetHealth()), h => h.Ports.Count == 2, "both lines in health");

            var slowPort = health.Ports.Single(p => p.Port.StartsWith(slow.AgentEnd, StringComparison.Ordinal));
            slowPort.PollingFits.ShouldBe(false);
            slowPort.BusUtilisation!.Value.ShouldBeGreaterThan(2);
            var fastPort = health.Ports.Single(p => p.Port.StartsWith(fast.AgentEnd, StringComparison.Ordinal));
            fastPort.PollingFits.ShouldBe(true);
            fastPort.BusUtilisation!.Value.ShouldBeLessThan(0.1);
            log.Text.ShouldContain($"Bus {slowPort.Port}: the configured polling needs");
            log.Text.ShouldContain("poll less often");
            log.Text.ShouldContain("it fits");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }
}
