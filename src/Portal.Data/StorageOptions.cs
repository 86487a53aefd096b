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
