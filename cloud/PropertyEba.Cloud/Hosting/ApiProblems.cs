using Microsoft.AspNetCore.Http.HttpResults;

namespace PropertyEba.Cloud.Hosting;

/// <summary>
/// The RFC 7807 answers the API gives for a bad request or a missing thing, worded once so every
/// endpoint says the same mistake the same way: what was wrong, and what is allowed.
/// </summary>
public static class ApiProblems
{
    /// <summary>Longest free text (who acknowledged, technician) the API stores.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Longest note the API stores with a ticket action.</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>An id in the route is malformed; <paramref name="allowed"/> says which characters are.</summary>
    public static ProblemHttpResult InvalidId(string kind, string value, string allowed) =>
        TypedResults.Problem($"'{value}' is not a {kind} id: use 1..64 {allowed}.", statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {kind} id");

    public static ProblemHttpResult OutOfRange(string parameter, long value, long min, long max) =>
        TypedResults.Problem($"{parameter} {value} is out of range; allowed {min}..{max}.", statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {parameter}");

    public static ProblemHttpResult Invalid(string parameter, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {parameter}");

    /// <summary>A 400 when free text is longer than the store keeps; null when it fits.</summary>
    public static ProblemHttpResult? TooLong(string field, string? value, int max) =>
        value is { Length: var length } && length > max
            ? TypedResults.Problem($"'{field}' is {length} characters long; at most {max} are allowed.", statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {field}")
            : null;

    /// <summary>A 404 as application/problem+json; endpoints declare it with <c>ProducesProblem(404)</c>.</summary>
    public static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: title);
}
