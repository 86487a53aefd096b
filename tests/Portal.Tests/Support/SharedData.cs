namespace Portal.Tests.Support;

/// <summary>The project's shared/ folder (beside the repository, as on every developer machine and in CI).</summary>
public static class SharedData
{
    public static string? Directory { get; } = Find();

    public static string FactsPath => Path.Combine(Directory ?? throw new InvalidOperationException(SkipReason), "data", "catalog-facts.json");

    public const string SkipReason = "!!! SKIPPED: shared/data/catalog-facts.json not found beside the repository (CI always has it). !!!";

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

/// <summary>A fact that reads shared/data: skipped loudly only where the folder is missing, never in CI.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Directory is null && Environment.GetEnvironmentVariable("CI") is null)
        {
            Skip = SharedData.SkipReason;
        }
    }
}
