using Microsoft.Extensions.Logging;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;

namespace PropertyEba.Edge.Remote;

/// <summary>
/// Carries out a validated command: writes the coil or registers, reads the same data back and compares, so that
/// "ok" means the device holds the value (a device in local mode or behind an interlock may take the write and
/// keep its own value: that is a read-back mismatch, not ok). The write goes through the device's own connection,
/// so it queues with the polls of its bus rather than colliding with them.
/// </summary>
internal sealed class CommandExecutor(string edgeId, TimeProvider time, ILogger logger)
{
    public async Task<EdgeCommandResult> ExecuteAsync(ValidatedCommand validated, Polling.ModbusConnection connection, CancellationToken cancellationToken)
    {
        var (command, device, point, coil, registers) = validated;
        var unit = (byte)device.UnitId;
        try
        {
            double readBack;
            if (coil is { } on)
            {
                await connection.WriteCoilAsync(unit, point.Address, on, cancellationToken);
                var (_, bits) = await connection.ReadAsync(unit, new Polling.ReadRequest(ModbusTable.Coils, point.Address, 1, []), cancellationToken);
                readBack = bits![0] ? 1 : 0;
            }
            else
            {
                await connection.WriteRegistersAsync(unit, point.Address, registers!, cancellationToken);
                var (read, _) = await connection.ReadAsync(unit, new Polling.ReadRequest(ModbusTable.HoldingRegisters, point.Address, (ushort)registers!.Length, []), cancellationToken);
                readBack = RegisterCodec.Decode(read, point.Type, point.Order, point.Bit, point.Scale, point.Offset);
            }

            // Equal within half a step of the register's resolution: 21.5 °C written with scale 0.1 reads back as 21.500000001.
            var tolerance = Math.Abs(point.Scale) / 2 + (Math.Abs(command.Value) * 1e-6);
            if (Math.Abs(readBack - command.Value) > tolerance)
            {
                RemoteLog.CommandMismatch(logger, command.CommandId, command.DeviceId, command.PointId, command.Value, readBack);
                return Result(command, CommandOutcome.ReadBackMismatch, $"wrote {command.Value} but read back {readBack}", readBack: readBack);
            }

            RemoteLog.CommandExecuted(logger, command.CommandId, command.DeviceId, command.PointId, command.Value, command.IssuedBy ?? "");
            return Result(command, CommandOutcome.Ok, null, readBack: readBack);
        }
        catch (ModbusException ex)
        {
            RemoteLog.CommandFailed(logger, command.CommandId, command.DeviceId, command.PointId, ex.Message);
            return Result(command, CommandOutcome.Failed, $"the device answered with Modbus exception {(int)ex.ExceptionCode} ({ex.ExceptionCode})", exception: (int)ex.ExceptionCode);
        }
        catch (ModbusCommunicationException ex)
        {
            RemoteLog.CommandFailed(logger, command.CommandId, command.DeviceId, command.PointId, ex.Message);
            return Result(command, CommandOutcome.Failed, $"no usable answer from the device: {ex.Message}");
        }
        catch (ObjectDisposedException)
        {
            // The configuration changed under the command and its connection closed: whether the write happened is unknown.
            return Result(command, CommandOutcome.Failed, "the device's connection closed during the command (a configuration change); read the point before sending again");
        }
    }

    public EdgeCommandResult Rejected(string commandId, EdgeCommand? command, string reason)
    {
        RemoteLog.CommandRejected(logger, commandId, reason);
        return new EdgeCommandResult
        {
            Schema = 1,
            EdgeId = edgeId,
            CommandId = commandId,
            DeviceId = command?.DeviceId,
            PointId = command?.PointId,
            Outcome = CommandOutcome.Rejected,
            Reason = reason,
            TimestampUtcMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
    }

    private EdgeCommandResult Result(EdgeCommand command, CommandOutcome outcome, string? reason, double? readBack = null, int? exception = null) => new()
    {
        Schema = 1,
        EdgeId = edgeId,
        CommandId = command.CommandId,
        DeviceId = command.DeviceId,
        PointId = command.PointId,
        Outcome = outcome,
        Reason = reason,
        ReadBack = readBack,
        ModbusException = exception,
        TimestampUtcMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
    };
}
