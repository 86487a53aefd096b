namespace Portal.Tests.Support;

/// <summary>The project's shared/ folder (beside the repository, as on every developer machine and in CI).</summary>
public static class SharedData
{
    public static string? Directory { get; } = Find();

    public static string FactsPath => Path.Combine(Directory ?? throw new InvalidOperationException(SkipReason), "data", "catalog-facts.json");

    public const string SkipReason = "!!! SKIPPED: shared/ not found beside the repository, so the in-repo copies cannot be compared with it. !!!";

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "catalog-facts.json");
            if (File.Exists(candidate))
            {
                return Path.Combine(dir.FullName, "shared");
            }
        }

        return null;
    }
}

/// <summary>
/// A fact that compares an in-repo copy with shared/data: skipped loudly where shared/ is not beside the repository
/// (a plain clone). Every other test reads the in-repo copies, so none of them depends on shared/.
/// </summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Directory is null)
        {
            Skip = SharedData.SkipReason;
        }
    }
}
