namespace Portal.Data;

/// <summary>Where the portal keeps its data. Bound from <c>Portal:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Portal:Storage";

    /// <summary><see cref="StorageProvider.Sqlite"/> (default, single instance) or <see cref="StorageProvider.PostgreSql"/>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// SQLite database file. Defaults to <c>{LocalApplicationData}/ModelCatalogPortal/portal.db</c>; the folder is created on first run.
    /// </summary>
    public string? SqlitePath { get; set; }

    /// <summary>Npgsql connection string; required when <see cref="Provider"/> is PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long a read that no page depends on (layout preference, compare tray) and the readiness check wait for the
    /// store before giving up. A page then renders with defaults and a notice instead of waiting for a locked store.
    /// </summary>
    public TimeSpan QuickTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After a quick read failed, further quick reads fail at once for this long, so every page stays fast.</summary>
    public TimeSpan QuickRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public string ResolveSqlitePath()
    {
        if (!string.IsNullOrWhiteSpace(SqlitePath))
        {
            return Path.GetFullPath(Environment.ExpandEnvironmentVariables(SqlitePath));
        }

        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return Path.Combine(root, "ModelCatalogPortal", "portal.db");
    }
}

public enum StorageProvider
{
    Sqlite,
    PostgreSql,
}
