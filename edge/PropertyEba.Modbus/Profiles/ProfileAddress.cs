namespace PropertyEba.Modbus.Profiles;

/// <summary>
/// Converts an address as a profile writes it into the protocol address, and recognises the classic
/// mistake of a vendor's 1-based register number (30005) given as a protocol address.
/// </summary>
public static class ProfileAddress
{
    /// <summary>The leading digit of the Modicon register numbering of a table: 0xxxx coils, 1xxxx discrete inputs, 3xxxx input, 4xxxx holding.</summary>
    public static int ModiconPrefix(ModbusTable table) => table switch
    {
        ModbusTable.Coils => 0,
        ModbusTable.DiscreteInputs => 1,
        ModbusTable.InputRegisters => 3,
        _ => 4,
    };

    /// <summary>
    /// The register number within its table when <paramref name="written"/> carries the table's Modicon prefix
    /// (5 digits X0001..X9999 or 6 digits X00001..X65536), else null. Coils have prefix 0, so never match.
    /// </summary>
    public static int? StripModiconPrefix(ModbusTable table, long written)
    {
        var prefix = ModiconPrefix(table);
        if (prefix == 0)
        {
            return null;
        }

        if (written >= (prefix * 100_000L) + 1 && written <= (prefix * 100_000L) + 65_536)
        {
            return (int)(written - (prefix * 100_000L));
        }

        if (written >= (prefix * 10_000L) + 1 && written <= (prefix * 10_000L) + 9_999)
        {
            return (int)(written - (prefix * 10_000L));
        }

        return null;
    }

    /// <summary>
    /// The protocol address of an address written in convention <paramref name="addressBase"/> (0 or 1), or an
    /// error sentence. With base 1, a number carrying the table's Modicon prefix (40001 on table holding) is
    /// register 1 of that table; any other number is a plain 1-based register number.
    /// </summary>
    public static (ushort? Address, string? Error) Resolve(ModbusTable table, long written, int addressBase)
    {
        if (addressBase == 0)
        {
            return written is >= 0 and <= 65535
                ? ((ushort)written, null)
                : (null, "a protocol address (addressBase 0) must be 0..65535");
        }

        var number = StripModiconPrefix(table, written) ?? written;
        return number is >= 1 and <= 65536
            ? ((ushort)(number - 1), null)
            : (null, $"a register number (addressBase 1) must be 1..65536, or carry the table's prefix ({ModiconPrefix(table)}0001..{ModiconPrefix(table)}9999, {ModiconPrefix(table)}00001..{ModiconPrefix(table)}65536)");
    }
}
