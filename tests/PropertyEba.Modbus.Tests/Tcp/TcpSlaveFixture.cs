namespace PropertyEba.Modbus.Tests.Tcp;

/// <summary>Our TCP slave on a free loopback port with unit 1 (and unit 2) backed by data stores.</summary>
public sealed class TcpSlaveFixture : IAsyncLifetime
{
    public ModbusDataStore Unit1 { get; } = new();

    public ModbusDataStore Unit2 { get; } = new();

    public ModbusTcpSlave Slave { get; } = new(new ModbusTcpSlaveOptions { Port = 0 });

    public int Port => Slave.LocalEndPoint.Port;

    public ModbusMaster CreateMaster(TimeSpan? timeout = null, int retries = 1) => ModbusMaster.CreateTcp(new ModbusTcpMasterOptions
    {
        Host = "127.0.0.1",
        Port = Port,
        Timeout = timeout ?? TimeSpan.FromSeconds(2),
        Retries = retries,
        BusyRetryDelay = TimeSpan.FromMilliseconds(5),
    });

    public async Task InitializeAsync()
    {
        Slave.AddUnit(1, Unit1);
        Slave.AddUnit(2, Unit2);
        await Slave.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await Slave.DisposeAsync();
}
