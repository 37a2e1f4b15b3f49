using System.Text;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Edges;

/// <summary>
/// With an external mosquitto (<c>Mqtt:EmbeddedBroker=false</c>), the broker's <c>password_file</c> and <c>acl_file</c>
/// in <c>{DataDirectory}/mosquitto/</c>, written at start and again whenever an edge changes (docs/mosquitto.md): every
/// enabled edge with its secret's hash and its topics, and the cloud's own user. Changes are coalesced: however many
/// arrive while a write runs, one more write follows.
/// </summary>
public sealed class MosquittoFiles(IOptions<PersistenceOptions> persistence)
{
    public const string PasswordFileName = "password_file";
    public const string AclFileName = "acl_file";

    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public string Directory => Path.Combine(Path.GetFullPath(persistence.Value.DataDirectory), "mosquitto");

    public string PasswordFile => Path.Combine(Directory, PasswordFileName);

    public string AclFile => Path.Combine(Directory, AclFileName);

    /// <summary>Asks for the files to be written again (returns at once).</summary>
    public void Changed() => _changes.Writer.TryWrite(true);

    internal ChannelReader<bool> Changes => _changes.Reader;

    /// <summary>The password file's text: <c>user:$7$…</c> lines (mosquitto_passwd format).</summary>
    public static string PasswordFileText(IEnumerable<ProvisionedEdge> edges, string cloudUser, string cloudHash)
    {
        var text = new StringBuilder();
        text.Append(cloudUser).Append(':').Append(cloudHash).Append('\n');
        foreach (var e in edges.Where(e => e.Enabled))
        {
            text.Append(e.ClientId).Append(':').Append(e.SecretHash).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The ACL file's text: the cloud reads and writes everything, each edge its own topics (<see cref="EdgeTopicAccess"/>).</summary>
    public static string AclFileText(IEnumerable<ProvisionedEdge> edges, string cloudUser)
    {
        // No topic line before the first user: an anonymous client, if the broker lets one in, may do nothing.
        var text = new StringBuilder("# Written by PropertyEba whenever an edge changes; edits are overwritten.\n\n");
        text.Append("user ").Append(cloudUser).Append("\ntopic readwrite #\n");
        foreach (var e in edges.Where(e => e.Enabled))
        {
            var prefix = EdgeTopicAccess.PrefixOf(e.TenantId, e.SiteId, e.EdgeId);
            text.Append("\nuser ").Append(e.ClientId).Append('\n');
            foreach (var channel in EdgeTopicAccess.EdgeChannels)
            {
                text.Append("topic write ").Append(prefix).Append(channel).Append('\n');
            }

            text.Append("topic read ").Append(prefix).Append(Contracts.Mqtt.MqttTopics.Config).Append('\n')
                .Append("topic read ").Append(prefix).Append("cmd/#\n");
        }

        return text.ToString();
    }
}

/// <summary>Writes the <see cref="MosquittoFiles"/> at start and after each change, when the broker is external.</summary>
internal sealed partial class MosquittoFileWriter(
    MosquittoFiles files,
    IOptions<MqttOptions> mqtt,
    CloudMqttIdentity cloud,
    IDbContextFactory<EbaDbContext> dbFactory,
    ILogger<MosquittoFileWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (mqtt.Value.EmbeddedBroker)
        {
            return;
        }

        // The cloud's password may be generated anew at each start: its hash is computed once per run.
        var cloudHash = EdgeSecretHasher.Hash(cloud.Password);
        files.Changed();
        try
        {
            await foreach (var _ in files.Changes.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await WriteAsync(cloudHash, stoppingToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DbUpdateException or InvalidOperationException)
                {
                    // The broker keeps the files it has; the next change writes them again.
                    LogWriteFailed(ex, files.Directory);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(string cloudHash, CancellationToken cancellationToken)
    {
        // A background context: no caller, so every tenant's edges.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var edges = await db.Set<ProvisionedEdge>().AsNoTracking().OrderBy(e => e.ClientId).ToListAsync(cancellationToken);
        System.IO.Directory.CreateDirectory(files.Directory);
        await ReplaceAsync(files.PasswordFile, MosquittoFiles.PasswordFileText(edges, cloud.Username, cloudHash), cancellationToken);
        await ReplaceAsync(files.AclFile, MosquittoFiles.AclFileText(edges, cloud.Username), cancellationToken);
        LogWritten(files.Directory, edges.Count(e => e.Enabled));
    }

    // Written beside and renamed over, so mosquitto never reads half a file when it reloads.
    private static async Task ReplaceAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, text, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            // Hashes only, but still not for every local user: owner and group (mosquitto's) may read.
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }

        File.Move(temp, path, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote the mosquitto password and ACL files in {Directory} for {EdgeCount} enabled edges; reload mosquitto (SIGHUP) to apply them")]
    private partial void LogWritten(string directory, int edgeCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write the mosquitto password and ACL files in {Directory}")]
    private partial void LogWriteFailed(Exception ex, string directory);
}
