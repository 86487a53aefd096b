namespace Portal.Data.Catalog;

/// <summary>An imported catalog file, one row per version. The newest version of a name is the active one.</summary>
public sealed class CatalogImport
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public int Version { get; set; }

    public required string FileName { get; set; }

    /// <summary>The file as imported (already validated), kept so it can be re-read and exported again.</summary>
    public required string Content { get; set; }

    public int ModelCount { get; set; }

    public DateTimeOffset ImportedUtc { get; set; }
}
