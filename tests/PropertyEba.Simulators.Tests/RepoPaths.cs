namespace PropertyEba.Simulators.Tests;

/// <summary>Finds the repository root (where PropertyEba.sln is) from the test binaries.</summary>
internal static class RepoPaths
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PropertyEba.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException($"No PropertyEba.sln above {AppContext.BaseDirectory}.");
        }
    }

    public static string Profiles => Path.Combine(Root, "edge", "profiles");

    public static string DevicePages => Path.Combine(Root, "docs", "devices");
}
