namespace PropertyEba.Cloud.Identity;

/// <summary>One sign-in generated at this start (the demo's users, a generated platform operator).</summary>
public sealed record GeneratedSignIn(string Role, string UserName, string Password, string? TenantId);

/// <summary>
/// The sign-ins generated at this start, kept in memory only (the store holds password hashes) so they can be printed
/// once and a test host can use them.
/// </summary>
public sealed class InitialSignIns
{
    private readonly List<GeneratedSignIn> _items = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<GeneratedSignIn> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items];
            }
        }
    }

    public void Add(GeneratedSignIn signIn)
    {
        lock (_gate)
        {
            _items.RemoveAll(s => s.UserName == signIn.UserName);
            _items.Add(signIn);
        }
    }

    public GeneratedSignIn For(string role, string? tenantId = null) =>
        Items.FirstOrDefault(s => s.Role == role && (tenantId is null || s.TenantId == tenantId))
        ?? throw new InvalidOperationException($"No sign-in was generated for role {role}{(tenantId is null ? "" : $" of {tenantId}")}.");
}
