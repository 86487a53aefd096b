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

    /// <summary>
    /// The models, with what failed in a part of the source while the rest loaded (one Azure location that did not
    /// answer). By default <see cref="LoadAsync"/> with no problem; a source that fails as a whole throws.
    /// </summary>
    async Task<CatalogSourceLoad> LoadWithProblemsAsync(CancellationToken cancellationToken) =>
        new(await LoadAsync(cancellationToken).ConfigureAwait(false), []);
}

/// <summary>A source's models and the problems of its parts that failed, in words a user can act on.</summary>
public sealed record CatalogSourceLoad(IReadOnlyList<CatalogModel> Models, IReadOnlyList<string> Problems);
