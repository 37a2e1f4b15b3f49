namespace PropertyEba.Modbus.Tests.Tcp;

/// <summary>
/// Tests against a loopback TCP slave serving unit 1, whose holding register 0 holds 1234; started before
/// each test and stopped after it. Faults are injected through <see cref="Store"/>.
/// </summary>
public abstract class OneUnitSlaveTests : IAsyncLifetime
{
    protected ModbusDataStore Store { get; } = new();

    protected ModbusTcpSlave Slave { get; } = new(new ModbusTcpSlaveOptions { Port = 0 });

    public async Task InitializeAsync()
    {
        Store.SetRegister(ModbusTable.HoldingRegisters, 0, 1234);
        Slave.AddUnit(1, Store);
        await Slave.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await Slave.DisposeAsync();
}
