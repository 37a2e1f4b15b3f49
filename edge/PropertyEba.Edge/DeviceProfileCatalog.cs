using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge;

/// <summary>
/// The device profiles the agent knows: the ones shipped beside the binaries (<c>profiles/</c>) plus the
/// installer's own (<see cref="EdgeOptions.ProfilesDirectory"/>). A local profile with the same model id
/// overrides the shipped one (and check-config says so), so an installer can correct a shipped map
/// without editing the installation.
/// </summary>
public sealed class DeviceProfileCatalog
{
    private readonly Lock _gate = new();
    private readonly string _shippedDirectory;
    private string? _loadedFrom;
    private ProfileSet? _set;

    /// <summary>Creates a catalog over the shipped profiles beside the binaries.</summary>
    public DeviceProfileCatalog()
        : this(DeviceProfileLoader.DefaultDirectory)
    {
    }

    /// <summary>Creates a catalog whose shipped profiles are in <paramref name="shippedDirectory"/>.</summary>
    public DeviceProfileCatalog(string shippedDirectory) => _shippedDirectory = Path.GetFullPath(shippedDirectory);

    /// <summary>Returns the shipped profiles plus those of <paramref name="directory"/> (null or empty: only the shipped ones), loading them on first use.</summary>
    /// <exception cref="DeviceProfileException">A profile file is invalid; <see cref="DeviceProfileException.Details"/> lists every problem of every file.</exception>
    public IReadOnlyDictionary<string, DeviceProfile> GetProfiles(string? directory)
    {
        var set = GetSet(directory);
        var errors = set.Problems.Where(p => p.Severity == ProblemSeverity.Error).ToList();
        return errors.Count == 0 ? set.Profiles : throw new DeviceProfileException(errors[0].File, errors);
    }

    /// <summary>Returns the profiles with every problem and notice found while loading them, loading on first use.</summary>
    public ProfileSet GetSet(string? directory)
    {
        var local = string.IsNullOrWhiteSpace(directory) ? null : Path.GetFullPath(directory);
        lock (_gate)
        {
            if (_set is null || _loadedFrom != local)
            {
                _set = Load(_shippedDirectory, local);
                _loadedFrom = local;
            }

            return _set;
        }
    }

    /// <summary>
    /// Loads the shipped folder and then the local folder; every file is read even after an error, so one
    /// run reports every problem. Synchronous on purpose: it runs during options validation at start-up.
    /// </summary>
    public static ProfileSet Load(string shippedDirectory, string? localDirectory)
    {
        var problems = new List<ConfigurationProblem>();
        var profiles = new Dictionary<string, DeviceProfile>(StringComparer.Ordinal);
        var origin = new Dictionary<string, string>(StringComparer.Ordinal);
        var sameFolder = localDirectory is not null && string.Equals(Path.GetFullPath(shippedDirectory), Path.GetFullPath(localDirectory), StringComparison.Ordinal);
        if (Directory.Exists(shippedDirectory))
        {
            LoadFolder(shippedDirectory, isLocal: false, profiles, origin, problems);
        }
        else if (localDirectory is null)
        {
            problems.Add(new(shippedDirectory, "profiles", null, "a folder of *.json device profiles", $"the shipped device profile folder {shippedDirectory} does not exist"));
        }

        if (localDirectory is not null && !sameFolder)
        {
            if (Directory.Exists(localDirectory))
            {
                LoadFolder(localDirectory, isLocal: true, profiles, origin, problems);
            }
            else
            {
                problems.Add(new(localDirectory, "ProfilesDirectory", localDirectory, "an existing folder of *.json device profiles", $"device profile folder {localDirectory} does not exist"));
            }
        }

        return new ProfileSet(profiles, origin, problems);
    }

    private static void LoadFolder(string directory, bool isLocal, Dictionary<string, DeviceProfile> profiles, Dictionary<string, string> origin, List<ConfigurationProblem> problems)
    {
        var inThisFolder = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            string json;
            try
            {
                json = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add(new(file, "$", null, null, $"the file cannot be read: {ex.Message}"));
                continue;
            }

            var (profile, found) = DeviceProfileReader.Read(json, file);
            problems.AddRange(found);
            if (profile is null)
            {
                continue;
            }

            if (inThisFolder.TryGetValue(profile.Model, out var other))
            {
                problems.Add(new(file, "model", $"'{profile.Model}'", "a model id not used by another file of the folder",
                    $"model id '{profile.Model}' is already used by another profile in {directory} ({Path.GetFileName(other)})"));
                continue;
            }

            inThisFolder[profile.Model] = file;
            if (isLocal && origin.TryGetValue(profile.Model, out var shipped))
            {
                problems.Add(new(file, "model", $"'{profile.Model}'", null,
                    $"this local profile overrides the shipped profile '{profile.Model}' ({shipped})", ProblemSeverity.Notice));
            }

            profiles[profile.Model] = profile;
            origin[profile.Model] = file;
        }
    }
}

/// <summary>The profiles of a catalog, the file each came from, and what was found while loading them.</summary>
/// <param name="Profiles">The usable profiles by model id (a local one replacing a shipped one).</param>
/// <param name="Files">The file each profile was loaded from, by model id.</param>
/// <param name="Problems">Errors (unusable files) and notices (overrides).</param>
public sealed record ProfileSet(IReadOnlyDictionary<string, DeviceProfile> Profiles, IReadOnlyDictionary<string, string> Files, IReadOnlyList<ConfigurationProblem> Problems);
