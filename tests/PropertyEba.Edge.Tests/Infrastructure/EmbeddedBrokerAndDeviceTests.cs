namespace PropertyEba.Edge.Tests.Infrastructure;

/// <summary>
/// Tests of the agent against MQTTnet's embedded broker and one Modbus TCP test device, both started before
/// each test and stopped after it, with a scratch directory (buffer, profiles) removed afterwards.
/// </summary>
public abstract class EmbeddedBrokerAndDeviceTests : IAsyncLifetime
{
    protected string ScratchDirectory { get; } = TestOptions.TempDirectory();

    private protected EmbeddedBroker Broker { get; private set; } = null!;

    private protected TestDevice Device { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await EmbeddedBroker.StartAsync();
        Device = await TestDevice.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Device.DisposeAsync();
        await Broker.DisposeAsync();
        Directory.Delete(ScratchDirectory, recursive: true);
    }
}
