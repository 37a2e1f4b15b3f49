using System.Text.RegularExpressions;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Architecture;

/// <summary>
/// The cloud's feature folders (one namespace each) depend on one another without cycles, so each can be read, tested
/// and changed from the folders below it alone (docs/architecture.md, "Feature folders"). A folder uses another when one
/// of its files imports that namespace or names a type through it (<c>Alarms.AlarmRule</c>).
/// </summary>
public sealed partial class FeatureFolderTests
{
    private static readonly string CloudSource = Path.Combine(RepositoryRoot.Path, "cloud", "PropertyEba.Cloud");

    [Fact]
    public void Feature_folders_depend_on_each_other_without_a_cycle()
    {
        var uses = FolderDependencies();
        uses.Count.ShouldBeGreaterThan(10, "the scan found the feature folders");

        var cycles = StronglyConnected(uses).Where(c => c.Count > 1).ToList();

        cycles.ShouldBeEmpty(string.Join(Environment.NewLine, cycles.Select(c =>
            $"cycle {string.Join(" ", c.Order(StringComparer.Ordinal))}: " + string.Join("; ",
                from a in c from b in c where uses[a].ContainsKey(b) select $"{a} -> {b} ({string.Join(", ", uses[a][b].Order(StringComparer.Ordinal))})"))));
    }

    [Fact]
    public void The_scan_sees_a_dependency_through_a_using_and_through_a_qualified_name()
    {
        var uses = FolderDependencies();

        uses["Alarms"].ShouldContainKey("Assets");
        uses["Overview"].ShouldContainKey("Alarms");
        uses["Startup"].ShouldContainKey("Persistence");
        uses["Assets"].ShouldNotContainKey("Alarms");
    }

    /// <summary>folder → folder it uses → the files that use it.</summary>
    private static Dictionary<string, Dictionary<string, HashSet<string>>> FolderDependencies()
    {
        var folders = Directory.GetDirectories(CloudSource).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj" or "Properties" or "wwwroot" or "Localization")).ToList();
        var uses = folders.ToDictionary(f => f, _ => new Dictionary<string, HashSet<string>>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(CloudSource, folder), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                var code = CommentsAndStrings().Replace(File.ReadAllText(file), "");
                foreach (var other in folders.Where(o => o != folder))
                {
                    if (code.Contains($"using PropertyEba.Cloud.{other};", StringComparison.Ordinal)
                        || Regex.IsMatch(code, $@"(?<![\w.]){other}\.[A-Z]") || code.Contains($"PropertyEba.Cloud.{other}.", StringComparison.Ordinal))
                    {
                        var users = uses[folder].TryGetValue(other, out var u) ? u : uses[folder][other] = [];
                        users.Add(Path.GetFileName(file));
                    }
                }
            }
        }

        return uses;
    }

    // Tarjan's strongly connected components: a component of more than one folder is a cycle.
    private static List<List<string>> StronglyConnected(Dictionary<string, Dictionary<string, HashSet<string>>> uses)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<List<string>>();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in uses[v].Keys)
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                components.Add(component);
            }
        }

        foreach (var v in uses.Keys.Where(v => !index.ContainsKey(v)))
        {
            Visit(v);
        }

        return components;
    }

    [GeneratedRegex(@"//.*|""(?:[^""\\]|\\.)*""")]
    private static partial Regex CommentsAndStrings();
}
