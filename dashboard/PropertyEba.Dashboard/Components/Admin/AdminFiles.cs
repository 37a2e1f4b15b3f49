using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Localization;
using PropertyEba.Dashboard.Localization;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Dashboard.Components.Admin;

/// <summary>Reading an uploaded file (site file, device profile) as text, with a cap so a huge upload is refused, not buffered.</summary>
public static class AdminFiles
{
    /// <summary>The largest file the pages read: a site file of a large estate; profiles are capped lower by the cloud.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    /// <summary>The file's text, or null when it is larger than <see cref="MaxBytes"/>.</summary>
    public static async Task<string?> ReadAsync(IBrowserFile file)
    {
        if (file.Size > MaxBytes)
        {
            return null;
        }

        await using var stream = file.OpenReadStream(MaxBytes);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public static AdminProblem TooLarge(IStringLocalizer<DashboardText> t, IBrowserFile file) =>
        new(t["FileTooLarge"], string.Format(t["FileTooLargeDetail"], file.Name, file.Size, MaxBytes), new Dictionary<string, string[]>());

    /// <summary>A link target that downloads <paramref name="json"/> without script: a data URI.</summary>
    public static string DataUri(string json) => "data:application/json;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json));
}
