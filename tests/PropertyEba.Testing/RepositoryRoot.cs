namespace PropertyEba.Testing;

/// <summary>The repository's root folder (where PropertyEba.sln is), found from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "PropertyEba.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"PropertyEba.sln not found above {AppContext.BaseDirectory}");
    }
}
