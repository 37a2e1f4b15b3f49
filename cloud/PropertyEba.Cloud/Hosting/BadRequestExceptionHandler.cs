using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace PropertyEba.Cloud.Hosting;

/// <summary>
/// Turns a request the framework could not bind (a query value that is not a number or a time, a body
/// that is not JSON) into a ProblemDetails that says which parameter was wrong. Without it the API
/// answers a bare "Bad Request" and the reason only reaches the server's log.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        LogBadRequest(httpContext.Request.Method, httpContext.Request.Path.Value ?? "", bad.Message);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request could not be read",
                Detail = bad.Message,
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path}: {Reason}")]
    private partial void LogBadRequest(string method, string path, string reason);
}
