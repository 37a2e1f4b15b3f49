using System.Globalization;
using System.IO.Ports;
using BenchmarkDotNet.Running;
using PropertyEba.Modbus.Benchmarks;

// Modes (docs/benchmarks.md has the full commands):
//   master <host> <port> <registers> <seconds>      whole-process TCP throughput of our master
//   slave <port>                                    our TCP slave with the reference tables
//   rtu <master pty> <slave pty> <baud> <N|E|O> <seconds>   RTU efficiency against a line-paced slave
//   anything else                                   BenchmarkDotNet (allocation benchmarks)
static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
static double Dbl(string s) => double.Parse(s, CultureInfo.InvariantCulture);

return args switch
{
    ["master", var host, var port, var registers, var seconds] => await ThroughputHarness.RunMasterAsync(host, Int(port), Int(registers), Dbl(seconds)),
    ["slave", var port] => await ThroughputHarness.RunSlaveAsync(Int(port)),
    ["rtu", var masterPort, var slavePort, var baud, var parity, var seconds] => await RtuEfficiencyHarness.RunAsync(
        masterPort, slavePort, Int(baud), parity switch { "E" => Parity.Even, "O" => Parity.Odd, _ => Parity.None }, Dbl(seconds)),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(ReferenceTables).Assembly).Run(args);
    return 0;
}
