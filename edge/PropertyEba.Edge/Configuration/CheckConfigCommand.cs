using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Configuration;

/// <summary>
/// <c>check-config &lt;file&gt;</c>: validates an estate file and the profiles it uses without touching a
/// device, prints every problem (file, field, value, what is allowed) and returns 1 if any is an error.
/// </summary>
internal static class CheckConfigCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        if (args.Count != 1 || args[0].StartsWith('-'))
        {
            output.WriteLine("usage: PropertyEba.Edge check-config <estate.json>");
            return 2;
        }

        var check = new EdgeConfigurationValidator(new DeviceProfileCatalog()).ValidateFile(args[0]);
        Print(check, args[0], output);
        return check.IsValid ? 0 : 1;
    }

    public static void Print(EdgeConfigurationCheck check, string file, TextWriter output)
    {
        foreach (var p in check.Problems)
        {
            output.WriteLine(p.Severity == ProblemSeverity.Error ? $"error: {p}" : $"{p}");
        }

        var errors = check.Errors.Count();
        if (errors == 0 && check.Options is { } options)
        {
            output.WriteLine($"{file}: OK — {options.Devices.Count} device(s), {check.Profiles?.Profiles.Count ?? 0} profile(s) available");
        }
        else
        {
            output.WriteLine($"{file}: {errors} error(s)");
        }
    }
}
