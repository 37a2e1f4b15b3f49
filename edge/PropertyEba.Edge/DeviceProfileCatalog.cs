using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge;

/// <summary>
/// The device profiles the agent knows, loaded once from a folder of <c>*.json</c> files
/// (<see cref="EdgeOptions.ProfilesDirectory"/>, or the <c>profiles/</c> folder beside the binaries).
/// </summary>
public sealed class DeviceProfileCatalog
{
    private readonly Lock _gate = new();
    private string? _loadedFrom;
    private IReadOnlyDictionary<string, DeviceProfile>? _profiles;

    /// <summary>Returns the profiles of the folder (null or empty: the default folder), loading them on first use.</summary>
    /// <exception cref="DeviceProfileException">A profile file is invalid; the message lists every problem.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public IReadOnlyDictionary<string, DeviceProfile> GetProfiles(string? directory)
    {
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(directory) ? DeviceProfileLoader.DefaultDirectory : directory);
        lock (_gate)
        {
            if (_profiles is null || _loadedFrom != path)
            {
                _profiles = Load(path);
                _loadedFrom = path;
            }

            return _profiles;
        }
    }

    // Synchronous on purpose: it runs once, during options validation at start-up, which is synchronous.
    private static Dictionary<string, DeviceProfile> Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Device profile folder {directory} does not exist.");
        }

        var profiles = new Dictionary<string, DeviceProfile>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var profile = DeviceProfileLoader.Parse(File.ReadAllText(file), file);
            if (!profiles.TryAdd(profile.Model, profile))
            {
                throw new DeviceProfileException(file, [$"model id '{profile.Model}' is already used by another profile in {directory}"]);
            }
        }

        return profiles;
    }
}
