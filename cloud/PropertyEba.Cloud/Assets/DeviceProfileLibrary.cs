using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Cloud.Assets;

/// <summary>
/// The device profiles a tenant can create devices from: the built-ins shipped in <c>profiles/</c> (the same files the
/// edge and the simulators read; read-only, version 1, every tenant's) and the tenant's uploads, each upload of a
/// profile id a new version. Uploads are checked by the edge's own <see cref="DeviceProfileLoader"/>, so a profile the
/// cloud accepts is one the edge can run.
/// </summary>
public sealed class DeviceProfileLibrary(IDbContextFactory<EbaDbContext> dbFactory, AuditTrail audit, TimeProvider time)
{
    /// <summary>Largest profile document accepted (the biggest shipped one is a few kilobytes).</summary>
    public const int MaxProfileBytes = 256 * 1024;

    public const int BuiltInVersion = 1;

    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private IReadOnlyDictionary<string, DeviceProfile>? _builtIns;

    /// <summary>The shipped profiles, read once.</summary>
    public async Task<IReadOnlyDictionary<string, DeviceProfile>> BuiltInsAsync(CancellationToken cancellationToken)
    {
        if (_builtIns is { } loaded)
        {
            return loaded;
        }

        await _loadGate.WaitAsync(cancellationToken);
        try
        {
            return _builtIns ??= Directory.Exists(DeviceProfileLoader.DefaultDirectory)
                ? await DeviceProfileLoader.LoadDirectoryAsync(DeviceProfileLoader.DefaultDirectory, cancellationToken)
                : new Dictionary<string, DeviceProfile>();
        }
        finally
        {
            _loadGate.Release();
        }
    }

    public async Task<IReadOnlyList<DeviceProfileDto>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        var builtIns = await BuiltInsAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var own = await db.Set<DeviceProfileVersion>().AsNoTracking().Where(p => p.TenantId == tenantId).ToListAsync(cancellationToken);
        var result = builtIns.Values.Select(p => ToDto(p, BuiltInVersion, true, null, [BuiltInVersion])).ToList();
        foreach (var versions in own.GroupBy(p => p.ProfileId))
        {
            var latest = versions.MaxBy(v => v.Version)!;
            result.Add(ToDto(DeviceProfileLoader.Parse(latest.Json, latest.ProfileId), latest.Version, false, latest.UploadedUtc, [.. versions.Select(v => v.Version).Order()]));
        }

        return [.. result.OrderBy(p => p.ProfileId, StringComparer.Ordinal)];
    }

    /// <summary>One version of a profile (null: the latest).</summary>
    public async Task<DeviceProfileDto> GetAsync(string tenantId, string profileId, int? version, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resolved = await ResolveAsync(db, tenantId, profileId, version, cancellationToken)
            ?? throw AssetProblemException.NotFound("device profile", version is null ? $"There is no device profile '{profileId}'." : $"Device profile '{profileId}' has no version {version}.");
        return ToDto(resolved.Profile, resolved.Version, resolved.BuiltIn, resolved.UploadedUtc, resolved.Versions);
    }

    /// <summary>Validates a profile document with the edge's loader and stores it as the next version of its id.</summary>
    public async Task<DeviceProfileDto> UploadAsync(string tenantId, string json, CancellationToken cancellationToken)
    {
        var v = new AssetValidation();
        DeviceProfile? profile = null;
        if (json.Length > MaxProfileBytes)
        {
            v.Add("profile", $"The profile is {json.Length} characters long; at most {MaxProfileBytes} are allowed.");
        }
        else
        {
            try
            {
                profile = DeviceProfileLoader.Parse(json, "the uploaded profile");
            }
            catch (DeviceProfileException ex)
            {
                foreach (var problem in ex.Problems)
                {
                    v.Add("profile", problem);
                }
            }
        }

        if (profile is not null && !Contracts.Mqtt.MqttTopics.IsId(profile.Model))
        {
            v.Add("profile.model", $"'{profile.Model}' is not a valid profile id: use 1..64 letters, digits, '-' or '_'.");
        }

        v.ThrowIfAny("Invalid device profile");
        if ((await BuiltInsAsync(cancellationToken)).ContainsKey(profile!.Model))
        {
            throw new AssetProblemException(AssetProblemKind.Conflict, "Built-in profile", $"'{profile.Model}' is a built-in profile and read-only; upload it under another model id.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var versions = await db.Set<DeviceProfileVersion>().Where(p => p.TenantId == tenantId && p.ProfileId == profile.Model).Select(p => p.Version).ToListAsync(cancellationToken);
        var row = new DeviceProfileVersion
        {
            TenantId = tenantId,
            ProfileId = profile.Model,
            Version = versions.Count == 0 ? 1 : versions.Max() + 1,
            Json = json,
            UploadedUtc = time.GetUtcNow(),
        };
        db.Add(row);
        audit.Record(db, tenantId, "profile.upload", $"profile/{row.ProfileId}/{row.Version}", new { row.ProfileId, row.Version, Points = profile.Points.Count });
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(profile, row.Version, false, row.UploadedUtc, [.. versions.Append(row.Version).Order()]);
    }

    /// <summary>A profile version the tenant can use, or null when it has none of that id and version.</summary>
    internal async Task<ResolvedProfile?> ResolveAsync(EbaDbContext db, string tenantId, string profileId, int? version, CancellationToken ct)
    {
        if ((await BuiltInsAsync(ct)).TryGetValue(profileId, out var builtIn))
        {
            return version is null or BuiltInVersion ? new ResolvedProfile(builtIn, BuiltInVersion, true, null, [BuiltInVersion]) : null;
        }

        var versions = await db.Set<DeviceProfileVersion>().AsNoTracking().Where(p => p.TenantId == tenantId && p.ProfileId == profileId).ToListAsync(ct);
        var row = version is null ? versions.MaxBy(v => v.Version) : versions.SingleOrDefault(v => v.Version == version);
        return row is null ? null : new ResolvedProfile(DeviceProfileLoader.Parse(row.Json, profileId), row.Version, false, row.UploadedUtc, [.. versions.Select(v => v.Version).Order()]);
    }

    private static DeviceProfileDto ToDto(DeviceProfile p, int version, bool builtIn, DateTimeOffset? uploadedUtc, IReadOnlyList<int> versions) => new(
        p.Model, version, p.Name, p.NameZh, p.Manufacturer, p.System, builtIn, uploadedUtc, versions,
        [.. p.Points.Select(x => new ProfilePointDto(x.Id, x.Name, x.NameZh, KindOf(x), x.Unit, x.Writable))]);

    internal static string KindOf(PointDefinition p) => p.Kind.ToString().ToLowerInvariant();
}

/// <summary>A profile version found for a tenant.</summary>
internal sealed record ResolvedProfile(DeviceProfile Profile, int Version, bool BuiltIn, DateTimeOffset? UploadedUtc, IReadOnlyList<int> Versions);
