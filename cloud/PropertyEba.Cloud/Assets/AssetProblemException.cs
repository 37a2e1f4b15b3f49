namespace PropertyEba.Cloud.Assets;

/// <summary>What kind of refusal an <see cref="AssetProblemException"/> is; the API answers 400, 404 or 409.</summary>
public enum AssetProblemKind
{
    Invalid,
    NotFound,
    Conflict,
}

/// <summary>
/// An administration request the asset services refuse, with everything the caller needs to say why: the kind, a title,
/// and for invalid input every field that is wrong and what is allowed (all at once, so one correction fixes them all).
/// The API turns it into problem details (<see cref="AssetProblemFilter"/>); the dashboard shows the same messages.
/// </summary>
public sealed class AssetProblemException(AssetProblemKind kind, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : Exception(errors is null ? $"{title}: {detail}" : $"{title}: {string.Join(" ", errors.SelectMany(e => e.Value))}")
{
    public AssetProblemKind Kind { get; } = kind;
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();

    public static AssetProblemException NotFound(string what, string detail) => new(AssetProblemKind.NotFound, $"No such {what}", detail);

    public static AssetProblemException Conflict(string what, string detail) => new(AssetProblemKind.Conflict, $"{what} already exists", detail);
}

/// <summary>Answers an <see cref="AssetProblemException"/> from an asset endpoint with RFC 7807 problem details, and logs the refusal.</summary>
internal sealed partial class AssetProblemFilter(ILogger<AssetProblemFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (AssetProblemException problem)
        {
            LogRefused(context.HttpContext.Request.Method, context.HttpContext.Request.Path.Value ?? "", problem.Kind, problem.Message);
            return problem.Kind switch
            {
                AssetProblemKind.Invalid => TypedResults.ValidationProblem(
                    problem.Errors.ToDictionary(e => e.Key, e => e.Value), problem.Detail, title: problem.Title),
                AssetProblemKind.NotFound => TypedResults.Problem(problem.Detail, statusCode: StatusCodes.Status404NotFound, title: problem.Title),
                _ => TypedResults.Problem(problem.Detail, statusCode: StatusCodes.Status409Conflict, title: problem.Title),
            };
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException ex)
        {
            // Two requests that passed the duplicate checks at the same moment: the unique index refuses the second.
            LogRefused(context.HttpContext.Request.Method, context.HttpContext.Request.Path.Value ?? "", AssetProblemKind.Conflict, ex.InnerException?.Message ?? ex.Message);
            return TypedResults.Problem("Another change to the same thing was saved at the same moment; read it again and retry.", statusCode: StatusCodes.Status409Conflict, title: "Concurrent change");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path} ({Kind}): {Reason}")]
    private partial void LogRefused(string method, string path, AssetProblemKind kind, string reason);
}
