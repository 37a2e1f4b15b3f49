namespace PropertyEba.Testing;

/// <summary>
/// Finds an external program a test needs. A missing one fails the test with the Debian package
/// to install; it is never skipped, so CI cannot pass without having run it.
/// </summary>
public static class Prerequisite
{
    public static string Program(string name, string debianPackage, params string[] candidates)
    {
        foreach (var path in candidates.Append($"/usr/bin/{name}").Append($"/usr/sbin/{name}").Append($"/usr/local/bin/{name}"))
        {
            if (File.Exists(path))
            {
                return path;
            }
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException(
            $"The test needs '{name}', which is not installed. Install it with: apt-get install -y {debianPackage} (tests/run.sh does this).");
    }

    /// <summary>Debian's python3 (not a pyenv shim), which is where python3-pymodbus installs.</summary>
    public static string DebianPython(string module, string debianPackage)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python))
        {
            throw new InvalidOperationException($"The test needs Debian's {python}. Install it with: apt-get install -y python3 {debianPackage}");
        }

        var psi = new System.Diagnostics.ProcessStartInfo(python, ["-c", $"import {module}"]) { RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.WaitForExit(30_000);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"The test needs the python module '{module}'. Install it with: apt-get install -y {debianPackage}");
        }

        return python;
    }
}
