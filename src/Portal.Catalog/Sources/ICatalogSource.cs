namespace Portal.Catalog.Sources;

/// <summary>
/// Somewhere models come from: the embedded facts, imported catalog files, and later Azure registries and projects
/// or an endpoint's model list. Every model a source returns carries that source's <see cref="Provenance"/>.
/// </summary>
public interface ICatalogSource
{
    /// <summary>Sources merge in ascending order; on a field they disagree on, the lowest order's value is shown.</summary>
    int Order { get; }

    string Name { get; }

    Task<IReadOnlyList<CatalogModel>> LoadAsync(CancellationToken cancellationToken);
}
