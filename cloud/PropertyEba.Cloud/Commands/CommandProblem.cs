namespace PropertyEba.Cloud.Commands;

/// <summary>Why a command or a desired configuration was not sent: the endpoints answer it as a 400, 404, 409 or 503 problem.</summary>
public sealed record CommandProblem(int StatusCode, string Title, string Detail)
{
    public static CommandProblem Invalid(string field, string detail) => new(StatusCodes.Status400BadRequest, $"Invalid {field}", detail);

    public static CommandProblem NotFound(string what, string detail) => new(StatusCodes.Status404NotFound, $"No such {what}", detail);
}
