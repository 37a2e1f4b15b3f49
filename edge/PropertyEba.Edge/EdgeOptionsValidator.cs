using Microsoft.Extensions.Options;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge;

/// <summary>
/// Checks <see cref="EdgeOptions"/> and reports every problem at once, each naming the setting
/// (<c>Edge:Devices[1]:Port</c>), the bad value and what is allowed, so one start-up shows all mistakes.
/// </summary>
public sealed class EdgeOptionsValidator : IValidateOptions<EdgeOptions>
{
    /// <summary>Shortest poll interval accepted; faster polling starves the bus and the devices.</summary>
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Smallest buffer cap accepted.</summary>
    public const long MinBufferBytes = 64 * 1024;

    private readonly DeviceProfileCatalog? _catalog;

    /// <summary>Creates a validator that also checks each device's model against the profiles of the catalog.</summary>
    public EdgeOptionsValidator(DeviceProfileCatalog? catalog = null) => _catalog = catalog;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EdgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyDictionary<string, DeviceProfile>? profiles = null;
        string? profileError = null;
        if (_catalog is not null)
        {
            try
            {
                profiles = _catalog.GetProfiles(options.ProfilesDirectory);
            }
            catch (Exception ex) when (ex is DeviceProfileException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                profileError = ex.Message;
            }
        }

        var problems = Collect(options, profiles);
        if (profileError is not null)
        {
            problems.Insert(0, $"{EdgeOptions.SectionName}:ProfilesDirectory = '{options.ProfilesDirectory ?? DeviceProfileLoader.DefaultDirectory}': the device profiles cannot be loaded: {profileError}");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>
    /// Returns every problem of the options (empty when valid). When <paramref name="profiles"/> is given,
    /// each device's <see cref="EdgeDeviceOptions.Model"/> must name one of them.
    /// </summary>
    public static List<string> Collect(EdgeOptions options, IReadOnlyDictionary<string, DeviceProfile>? profiles) =>
        [.. CollectProblems(options, profiles, "configuration").Select(p => p.Message)];

    /// <summary>
    /// Returns every problem of the options as records naming <paramref name="file"/>, the field, the value and
    /// what is allowed (the <see cref="ConfigurationProblem.Message"/> is the whole sentence, as <see cref="Collect"/> gives it).
    /// </summary>
    public static List<ConfigurationProblem> CollectProblems(EdgeOptions options, IReadOnlyDictionary<string, DeviceProfile>? profiles, string file)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string s = EdgeOptions.SectionName;
        var problems = new ProblemList(file);

        RequireId(problems, $"{s}:Tenant", options.Tenant);
        RequireId(problems, $"{s}:Site", options.Site);
        RequireId(problems, $"{s}:EdgeId", options.EdgeId);
        foreach (var problem in Polling.EdgeRuntimeOptions.Validate(options.Runtime, $"{s}:Runtime")
                     .Concat(LocalPage.LocalPageOptions.Validate(options.LocalPage, $"{s}:LocalPage")))
        {
            problems.Add(problem);
        }

        var mqtt = options.Mqtt;
        if (mqtt is null)
        {
            problems.Add($"{s}:Mqtt is missing: give at least Host and Port of the broker");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(mqtt.Host))
            {
                problems.Add($"{s}:Mqtt:Host is empty: give the broker's host name or address");
            }

            RequirePort(problems, $"{s}:Mqtt:Port", mqtt.Port);
            if (string.IsNullOrEmpty(mqtt.Username) && !string.IsNullOrEmpty(mqtt.Password))
            {
                problems.Add($"{s}:Mqtt:Password is set but {s}:Mqtt:Username is empty: give both or neither");
            }

            RequireRange(problems, $"{s}:Mqtt:KeepAlive", mqtt.KeepAlive, TimeSpan.FromSeconds(1), TimeSpan.FromHours(18));
            RequireRange(problems, $"{s}:Mqtt:ReconnectDelay", mqtt.ReconnectDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
            RequireRange(problems, $"{s}:Mqtt:MaxReconnectDelay", mqtt.MaxReconnectDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
            if (mqtt.MaxReconnectDelay < mqtt.ReconnectDelay)
            {
                problems.Add($"{s}:Mqtt:MaxReconnectDelay = {mqtt.MaxReconnectDelay} is shorter than {s}:Mqtt:ReconnectDelay = {mqtt.ReconnectDelay}: it must be at least as long");
            }

            RequireRange(problems, $"{s}:Mqtt:OperationTimeout", mqtt.OperationTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
            if (!string.IsNullOrEmpty(mqtt.ClientId) && (mqtt.ClientId.Length > 128 || mqtt.ClientId.Any(c => c is '+' or '#' or '/' || char.IsControl(c))))
            {
                problems.Add($"{s}:Mqtt:ClientId = '{mqtt.ClientId}': use up to 128 printable characters without '+', '#' or '/', or leave it empty");
            }
        }

        RequireRange(problems, $"{s}:PollInterval", options.PollInterval, MinPollInterval, TimeSpan.FromHours(24));
        RequireRange(problems, $"{s}:ModbusTimeout", options.ModbusTimeout, TimeSpan.FromMilliseconds(20), TimeSpan.FromMinutes(1));
        RequireRange(problems, $"{s}:ModbusRetries", options.ModbusRetries, 0, 5);
        RequireRange(problems, $"{s}:CommLossThreshold", options.CommLossThreshold, 1, 1000);
        RequireRange(problems, $"{s}:MaxRegisterGap", options.MaxRegisterGap, 0, 124);
        RequireRange(problems, $"{s}:MaxBitGap", options.MaxBitGap, 0, 1999);

        if (string.IsNullOrWhiteSpace(options.BufferDirectory))
        {
            problems.Add($"{s}:BufferDirectory is empty: give a folder the agent may write to (e.g. data/edge-buffer)");
        }
        else if (options.BufferDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            problems.Add($"{s}:BufferDirectory = '{options.BufferDirectory}' contains characters not allowed in a path");
        }

        if (options.BufferMaxBytes < MinBufferBytes)
        {
            problems.Add($"{s}:BufferMaxBytes = {options.BufferMaxBytes}: must be at least {MinBufferBytes} (64 KiB); the default is {256L * 1024 * 1024} (256 MiB)");
        }

        RequireRange(problems, $"{s}:BufferMaxAge", options.BufferMaxAge, TimeSpan.FromMinutes(1), TimeSpan.FromDays(366));
        RequireRange(problems, $"{s}:BufferSyncInterval", options.BufferSyncInterval, TimeSpan.Zero, TimeSpan.FromMinutes(10));

        if (options.Devices is null || options.Devices.Count == 0)
        {
            problems.Add($"{s}:Devices is empty: list at least one device (DeviceId, Model, Host, Port, UnitId)");
            return problems.Items;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Devices.Count; i++)
        {
            var d = options.Devices[i];
            var at = $"{s}:Devices[{i}]";
            if (d is null)
            {
                problems.Add($"{at} is empty");
                continue;
            }

            RequireId(problems, $"{at}:DeviceId", d.DeviceId);
            if (!string.IsNullOrEmpty(d.DeviceId) && !ids.Add(d.DeviceId))
            {
                problems.Add($"{at}:DeviceId = '{d.DeviceId}' is used by another device: device ids must be unique within the edge");
            }

            if (string.IsNullOrWhiteSpace(d.Model))
            {
                problems.Add($"{at}:Model is empty: give the model id of the device's profile");
            }
            else if (profiles is not null && !profiles.ContainsKey(d.Model))
            {
                problems.Add($"{at}:Model = '{d.Model}' matches no device profile; known models: {(profiles.Count == 0 ? "(none)" : string.Join(", ", profiles.Keys.Order(StringComparer.Ordinal)))}");
            }

            if (d.Transport == ModbusTransportKind.Rtu)
            {
                if (string.IsNullOrWhiteSpace(d.SerialPort))
                {
                    problems.Add($"{at}:SerialPort is empty: transport Rtu needs the serial port of the line (e.g. /dev/ttyUSB0)");
                }

                if (d.BaudRate is < 300 or > 921_600)
                {
                    problems.Add($"{at}:BaudRate = {d.BaudRate}: must be 300..921600 (usually 9600 or 19200)");
                }

                if (d.DataBits != 8)
                {
                    problems.Add($"{at}:DataBits = {d.DataBits}: Modbus RTU uses 8 data bits");
                }

                if (d.Parity is not (System.IO.Ports.Parity.None or System.IO.Ports.Parity.Even or System.IO.Ports.Parity.Odd))
                {
                    problems.Add($"{at}:Parity = {d.Parity}: must be None, Even or Odd");
                }

                if (d.StopBits is not (System.IO.Ports.StopBits.One or System.IO.Ports.StopBits.Two))
                {
                    problems.Add($"{at}:StopBits = {d.StopBits}: must be One or Two");
                }
            }
            else
            {
                if (d.Rs485DirectionControl)
                {
                    problems.Add($"{at}:Rs485DirectionControl is on for transport {d.Transport}: it switches a local RS-485 port (transport Rtu); a gateway or device server switches its own line");
                }

                if (string.IsNullOrWhiteSpace(d.Host))
                {
                    problems.Add($"{at}:Host is empty: give the host of the device, its gateway or its serial device server");
                }

                RequirePort(problems, $"{at}:Port", d.Port);
            }

            if (!Enum.IsDefined(d.Transport))
            {
                problems.Add($"{at}:Transport = {d.Transport}: must be Tcp, RtuOverTcp or Rtu");
            }
            RequireRange(problems, $"{at}:UnitId", d.UnitId, 0, 255);
            if (d.PollInterval is { } interval)
            {
                RequireRange(problems, $"{at}:PollInterval", interval, MinPollInterval, TimeSpan.FromHours(24));
            }

            RequireRange(problems, $"{at}:MaxRegistersPerRead", d.MaxRegistersPerRead, 4, 125);
            RequireRange(problems, $"{at}:MaxBitsPerRead", d.MaxBitsPerRead, 1, 2000);
        }

        // Devices on one line or one TCP endpoint share a connection, so they must agree on how to reach it.
        foreach (var line in options.Devices.Where(d => d is not null).GroupBy(ConnectionKey))
        {
            var first = line.First();
            foreach (var other in line.Skip(1))
            {
                var serialDiffers = first.Transport == ModbusTransportKind.Rtu
                    && (other.BaudRate != first.BaudRate || other.Parity != first.Parity || other.StopBits != first.StopBits || other.DataBits != first.DataBits
                        || other.Rs485DirectionControl != first.Rs485DirectionControl);
                if (other.Transport != first.Transport || serialDiffers)
                {
                    problems.Add($"{s}:Devices: '{first.DeviceId}' and '{other.DeviceId}' share {line.Key} but not its settings (Transport, BaudRate, Parity, DataBits, StopBits, Rs485DirectionControl): devices on one connection must agree");
                }
            }
        }

        return problems.Items;
    }

    /// <summary>What identifies a device's connection: its serial port, or its host and port.</summary>
    internal static string ConnectionKey(EdgeDeviceOptions device) => device.Transport == ModbusTransportKind.Rtu
        ? $"serial port {device.SerialPort}"
        : $"{device.Host.ToUpperInvariant()}:{device.Port}";

    private static void RequireId(ProblemList problems, string field, string? value)
    {
        if (!MqttTopics.IsId(value ?? ""))
        {
            problems.Add($"{field} = '{value}': must be 1..64 letters, digits, '-' or '_' (it becomes an MQTT topic segment)");
        }
    }

    private static void RequirePort(ProblemList problems, string field, int port)
    {
        if (port is < 1 or > 65535)
        {
            problems.Add($"{field} = {port}: must be 1..65535");
        }
    }

    private static void RequireRange(ProblemList problems, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{field} = {value}: must be {min}..{max}");
        }
    }

    private static void RequireRange(ProblemList problems, string field, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{field} = {value}: must be between {min} and {max} (format hh:mm:ss.fff)");
        }
    }

    /// <summary>
    /// Collects problems given as the validator's sentences ("Edge:X = value: must be ..."), splitting out the
    /// field, the value and the allowed part so the records can be shown as a table.
    /// </summary>
    private sealed class ProblemList(string file)
    {
        public List<ConfigurationProblem> Items { get; } = [];

        public void Insert(int index, string text) => Items.Insert(index, Parse(text));

        public void Add(string text) => Items.Add(Parse(text));

        public int Count => Items.Count;

        private ConfigurationProblem Parse(string text)
        {
            // The field is the first word; a value follows " = " up to the first ": "; what is allowed follows "must be".
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var field = space < 0 ? text : text[..space];
            string? value = null;
            if (space >= 0 && text.AsSpan(space).StartsWith(" = ", StringComparison.Ordinal))
            {
                var start = space + 3;
                var end = text[start] == '\''
                    ? text.IndexOf('\'', start + 1) + 1
                    : text.IndexOfAny([':', ' '], start);
                value = end <= start ? text[start..] : text[start..end];
            }

            var must = text.IndexOf("must be ", StringComparison.Ordinal);
            var allowed = must < 0 ? null : text[(must + 8)..];
            return new ConfigurationProblem(file, field.TrimEnd(':'), value, allowed, text);
        }
    }
}
