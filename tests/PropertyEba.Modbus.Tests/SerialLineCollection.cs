namespace PropertyEba.Modbus.Tests;

/// <summary>
/// Tests that run Modbus RTU over pseudo-terminals in real time (character and frame gaps of milliseconds,
/// external programs such as pymodbus and mbpoll). On a 2-core machine they miss their timing when the
/// other test classes load both cores, so they run on their own, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialLineCollection
{
    public const string Name = "serial lines in real time";
}
