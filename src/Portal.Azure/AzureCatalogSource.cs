using Portal.Catalog;
using Portal.Catalog.Sources;

namespace Portal.Azure;

/// <summary>
/// Models in the team's Azure registries and projects (the subscriptions in <c>Portal:Azure:Subscriptions</c>), merged
/// into the catalog with provenance "from registry X" or "from project Y". With no subscription configured it adds
/// nothing and calls nothing; a failure is shown as this source's problem while the rest of the catalog works.
/// </summary>
public sealed class AzureCatalogSource(AzureService azure) : ICatalogSource
{
    public int Order => 2;

    public string Name => "Azure registries and projects";

    /// <summary>The catalog loads at start: Azure gets this long before it is reported as a problem of this source.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public async Task<IReadOnlyList<CatalogModel>> LoadAsync(CancellationToken cancellationToken)
    {
        if (azure.Options.Subscriptions.Count == 0)
        {
            return [];
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return await LoadFromAzureAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Azure did not answer within {Timeout.TotalSeconds:0} seconds.");
        }
        catch (ArmException ex)
        {
            throw new InvalidOperationException(ex.Error.Message, ex);
        }
    }

    private async Task<IReadOnlyList<CatalogModel>> LoadFromAzureAsync(CancellationToken cancellationToken)
    {
        var discovery = await azure.DiscoverAsync(azure.Options.Subscriptions, refresh: true, cancellationToken);
        if (discovery.Problems.Count > 0 && discovery.Registries.Count == 0 && discovery.Projects.Count == 0)
        {
            throw new InvalidOperationException(discovery.Problems[0]);
        }

        var models = new List<CatalogModel>();
        foreach (var registry in discovery.Registries)
        {
            foreach (var m in await azure.ListRegistryModelsAsync(registry, cancellationToken))
            {
                models.Add(new CatalogModel
                {
                    Id = m.Name,
                    DisplayName = m.Name,
                    Description = m.Description,
                    InferenceTasks = m.Tags.TryGetValue("task", out var task) ? [task] : [],
                    Provenance = [new Provenance($"azure-registry:{registry.Name}", $"From registry {registry.Name} ({m.AssetId}, latest version {m.LatestVersion ?? "—"})", null, null)],
                });
            }
        }

        foreach (var project in discovery.Projects)
        {
            foreach (var m in await azure.ListProjectModelsAsync(project, cancellationToken))
            {
                models.Add(new CatalogModel
                {
                    Id = m.Name,
                    DisplayName = m.Name,
                    Description = m.Description,
                    Provenance = [new Provenance($"azure-project:{project.Name}", $"From project {project.DisplayName} (latest version {m.LatestVersion ?? "—"})", null, null)],
                });
            }
        }

        return models;
    }
}
