namespace PropertyEba.Modbus.Rtu;

/// <summary>
/// The driver-enable input of an RS-485 transceiver that does not switch direction by itself. Enabled, this
/// node drives the two-wire bus; disabled, it only listens, and another node (the slave answering) can talk.
/// </summary>
internal interface IRs485DriverEnable
{
    /// <summary>Takes the bus before a frame is sent.</summary>
    void Enable();

    /// <summary>Releases the bus once the frame has left the line.</summary>
    void Disable();
}
