namespace PropertyEba.Edge.Configuration;

/// <summary>Finds and removes <c>--config &lt;file&gt;</c> (or <c>--config=&lt;file&gt;</c>) from the command line.</summary>
internal static class EstateFileArguments
{
    /// <summary>The estate file named on the command line (or null) and the remaining arguments for the host.</summary>
    public static (string? File, string[] HostArgs, string? Error) Extract(string[] args)
    {
        string? file = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config")
            {
                if (i + 1 >= args.Length)
                {
                    return (null, args, "--config needs a file: --config /etc/propertyeba-edge/estate.json");
                }

                file = args[++i];
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                file = args[i]["--config=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return (file, [.. rest], null);
    }
}
