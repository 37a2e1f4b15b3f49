namespace PropertyEba.Modbus.Profiles;

/// <summary>How serious a <see cref="ConfigurationProblem"/> is.</summary>
public enum ProblemSeverity
{
    /// <summary>The configuration cannot be used as it is.</summary>
    Error,

    /// <summary>Worth knowing but not wrong, e.g. a local profile overriding a shipped one.</summary>
    Notice,
}

/// <summary>
/// One thing wrong with (or worth saying about) a configuration or profile file: where it is (file and
/// JSON path), the value found and what is allowed. The edge's check-config, its start-up validation and the
/// validation of a configuration pushed from the cloud all report these, so an installer reads the same
/// sentence wherever the mistake is caught.
/// </summary>
/// <param name="File">The file (or other source, e.g. "the config topic") the value came from.</param>
/// <param name="Field">JSON path of the field, e.g. <c>points[3].table</c> or <c>Edge:Devices[1]:Port</c>.</param>
/// <param name="Value">The value found, as written; null when the field is missing.</param>
/// <param name="Allowed">What is allowed instead, e.g. <c>coil, discrete, holding, input</c>; null when the message says it.</param>
/// <param name="Message">A sentence saying what is wrong.</param>
/// <param name="Severity">Error (unusable) or notice.</param>
public sealed record ConfigurationProblem(string File, string Field, string? Value, string? Allowed, string Message, ProblemSeverity Severity = ProblemSeverity.Error)
{
    /// <summary>The problem as one line: <c>file: field = value: message (allowed: ...)</c>.</summary>
    public override string ToString()
    {
        var value = Value is null ? "" : $" = {Value}";
        var allowed = Allowed is null ? "" : $" (allowed: {Allowed})";
        var kind = Severity == ProblemSeverity.Notice ? "note: " : "";
        if (Message.StartsWith(Field, StringComparison.Ordinal))
        {
            return $"{File}: {kind}{Message}"; // the sentence already names the field, value and what is allowed
        }

        return $"{File}: {kind}{Field}{value}: {Message}{allowed}";
    }
}
