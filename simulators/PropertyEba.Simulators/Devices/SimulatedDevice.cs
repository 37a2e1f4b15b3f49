using PropertyEba.Modbus;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Simulators.Devices;

/// <summary>What a device model is built from: its place in the estate, its profile, its data store and its parameters.</summary>
internal sealed record DeviceSetup(
    string Id,
    DeviceProfile Profile,
    ModbusDataStore Store,
    IReadOnlyDictionary<string, double> Parameters,
    Random Random,
    EstateEnvironment Environment,
    IReadOnlyList<string> Faults);

/// <summary>
/// A simulated piece of equipment: physical state that evolves step by step, shown to Modbus masters
/// through the register map of its device profile. Subclasses model one equipment type each.
/// </summary>
internal abstract class SimulatedDevice
{
    private readonly PointImage _image;
    private readonly IReadOnlyDictionary<string, double> _parameters;
    private readonly HashSet<string> _activeFaults = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _supportedFaults;

    protected SimulatedDevice(DeviceSetup setup)
    {
        Id = setup.Id;
        Profile = setup.Profile;
        Store = setup.Store;
        Random = setup.Random;
        Environment = setup.Environment;
        _parameters = setup.Parameters;
        _supportedFaults = setup.Faults;
        _image = new PointImage(setup.Profile, setup.Store);
        Store.BeforeWrite = (table, address, count) =>
            _image.IsWritableRange(table, address, count) ? null : ModbusExceptionCode.IllegalDataAddress;
    }

    public string Id { get; }

    public string Model => Profile.Model;

    public DeviceProfile Profile { get; }

    public ModbusDataStore Store { get; }

    protected Random Random { get; }

    protected EstateEnvironment Environment { get; }

    /// <summary>Resolves the links to other devices named in the site file.</summary>
    public virtual void Bind(LinkResolver links)
    {
    }

    /// <summary>Sets the initial register values (writable points included) before the device is served.</summary>
    public void Initialise(DateTimeOffset localTime)
    {
        Reset(localTime);
        _image.Push(includeWritable: true);
    }

    /// <summary>Advances the physics by one step and encodes the result.</summary>
    public abstract void Step(in SimulationStep step);

    /// <summary>Puts the initial values into the image; called once before serving.</summary>
    protected abstract void Reset(DateTimeOffset localTime);

    /// <summary>Reads back what masters wrote, before a step.</summary>
    public void PullWrites() => _image.PullWritable();

    /// <summary>Copies the step's result into the data store.</summary>
    public void Publish() => _image.Push(includeWritable: false);

    /// <summary>The current engineering value of a point, as the wire shows it.</summary>
    public double Read(string pointId) => _image.Get(pointId);

    /// <summary>Whether the model simulates the given physical fault.</summary>
    public bool Supports(string fault) => _supportedFaults.Contains(fault);

    public bool IsFaultActive(string fault) => _activeFaults.Contains(fault);

    public void SetFault(string fault, bool active)
    {
        if (active)
        {
            _activeFaults.Add(fault);
        }
        else
        {
            _activeFaults.Remove(fault);
        }

        OnFaultChanged(fault, active);
    }

    protected virtual void OnFaultChanged(string fault, bool active)
    {
    }

    protected double Parameter(string name) => _parameters[name];

    protected void Set(string pointId, double value) => _image.Set(pointId, value);

    protected void Set(string pointId, bool value) => _image.Set(pointId, value ? 1 : 0);

    protected double Get(string pointId) => _image.Get(pointId);

    /// <summary>Gaussian noise with the given standard deviation, from the device's seeded generator.</summary>
    protected double Noise(double sigma)
    {
        // Box-Muller; 1 - u keeps the logarithm finite.
        var u1 = 1.0 - Random.NextDouble();
        var u2 = Random.NextDouble();
        return sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Moves a value towards a target with a first-order lag of time constant <paramref name="tauSeconds"/>.</summary>
    protected static double Lag(double value, double target, double tauSeconds, double dtSeconds) =>
        value + (target - value) * (1 - Math.Exp(-dtSeconds / tauSeconds));

    /// <summary>Moves a value towards a target at most <paramref name="ratePerSecond"/> per second.</summary>
    protected static double Ramp(double value, double target, double ratePerSecond, double dtSeconds)
    {
        var maxStep = ratePerSecond * dtSeconds;
        return value + Math.Clamp(target - value, -maxStep, maxStep);
    }
}
