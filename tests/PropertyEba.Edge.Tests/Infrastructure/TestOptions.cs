namespace PropertyEba.Edge.Tests.Infrastructure;

internal static class TestOptions
{
    /// <summary>Valid options for an agent polling the given test devices fast, with a fresh buffer folder.</summary>
    public static EdgeOptions For(int brokerPort, string bufferDirectory, params int[] devicePorts)
    {
        var options = new EdgeOptions
        {
            Tenant = "t1",
            Site = "s1",
            EdgeId = "e1",
            Mqtt = new EdgeMqttOptions
            {
                Host = "127.0.0.1",
                Port = brokerPort,
                KeepAlive = TimeSpan.FromSeconds(5),
                ReconnectDelay = TimeSpan.FromMilliseconds(100),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
                OperationTimeout = TimeSpan.FromSeconds(5),
            },
            PollInterval = TimeSpan.FromMilliseconds(100),
            ModbusTimeout = TimeSpan.FromSeconds(1),
            ModbusRetries = 0,
            CommLossThreshold = 2,
            BufferDirectory = bufferDirectory,
            BufferMaxBytes = 16 * 1024 * 1024,
        };
        for (var i = 0; i < devicePorts.Length; i++)
        {
            options.Devices.Add(new EdgeDeviceOptions { DeviceId = $"dev{i + 1}", Model = TestDevice.Model, Host = "127.0.0.1", Port = devicePorts[i], UnitId = 1 });
        }

        return options;
    }

    public static string TempDirectory() => Directory.CreateTempSubdirectory("propertyeba-edge-").FullName;
}
