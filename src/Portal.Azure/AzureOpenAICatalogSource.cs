using Portal.Catalog;
using Portal.Catalog.Sources;

namespace Portal.Azure;

/// <summary>
/// The live Azure OpenAI models: for every (subscription, location) of the user's Azure OpenAI and AI services accounts
/// (subscriptions in <c>Portal:Azure:Subscriptions</c>, the portal's own identity), the models API of the location
/// (<c>locations/{location}/models</c>, format <c>OpenAI</c> only). They join the catalog's Azure OpenAI collection:
/// a model the catalog knows (by id, name or alias) gains versions, tasks, lifecycle dates and region facts; one it
/// does not know is added with what the API says. Every fact names the location, subscription and date it came from.
/// A location that fails is this source's problem while the others load; with no subscription it calls nothing.
/// </summary>
public sealed class AzureOpenAICatalogSource(AzureService azure, TimeProvider time) : ICatalogSource
{
    public const string Collection = "Azure OpenAI";

    public int Order => 3;

    public string Name => "Azure OpenAI models (live)";

    /// <summary>The catalog loads at start: Azure gets this long before it is reported as a problem of this source.</summary>
    public static readonly TimeSpan Timeout = AzureCatalogSource.Timeout;

    public async Task<IReadOnlyList<CatalogModel>> LoadAsync(CancellationToken cancellationToken) =>
        (await LoadWithProblemsAsync(cancellationToken)).Models;

    public async Task<CatalogSourceLoad> LoadWithProblemsAsync(CancellationToken cancellationToken)
    {
        if (azure.Options.Subscriptions.Count == 0)
        {
            return new([], []);
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

    private async Task<CatalogSourceLoad> LoadFromAzureAsync(CancellationToken cancellationToken)
    {
        var discovery = await azure.DiscoverAccountsAsync(azure.Options.Subscriptions, refresh: true, cancellationToken);
        var locations = discovery.Accounts
            .Where(a => a.ServesOpenAI && !string.IsNullOrWhiteSpace(a.Location))
            .Select(a => (Subscription: a.SubscriptionId, Location: a.Location!.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()))
            .Distinct()
            .OrderBy(l => l.Subscription, StringComparer.OrdinalIgnoreCase)
            .ThenBy(l => l.Location, StringComparer.Ordinal)
            .ToList();
        if (discovery.Problems.Count > 0 && locations.Count == 0)
        {
            throw new InvalidOperationException(discovery.Problems[0]);
        }

        var problems = new List<string>(discovery.Problems);
        var read = new List<LocationModels>();
        foreach (var (subscription, location) in locations)
        {
            try
            {
                var models = await azure.ListLocationModelsAsync(subscription, location, cancellationToken);
                read.Add(new(subscription, location, models, time.GetUtcNow()));
            }
            catch (ArmException ex)
            {
                problems.Add($"The models of location {AzureRegions.DisplayName(location)} ({location}, subscription {subscription}) could not be read: {ex.Error.Message}");
            }
        }

        return new(Join(read, EmbeddedCatalogSource.Models), problems);
    }

    /// <summary>What one location's models API said, and when.</summary>
    public sealed record LocationModels(string Subscription, string Location, IReadOnlyList<LocationModel> Models, DateTimeOffset At);

    /// <summary>
    /// Joins the locations' models into catalog models: one per model name (format <c>OpenAI</c> only), under the id of
    /// the catalog model it matches by id, display name or alias (<paramref name="known"/>), else under its own name.
    /// </summary>
    public static IReadOnlyList<CatalogModel> Join(IReadOnlyList<LocationModels> locations, IReadOnlyList<CatalogModel> known)
    {
        ArgumentNullException.ThrowIfNull(locations);
        ArgumentNullException.ThrowIfNull(known);
        var catalogIds = CatalogIds(known);
        var byModel = new Dictionary<string, ModelFacts>(StringComparer.OrdinalIgnoreCase);
        foreach (var location in locations)
        {
            var source = SourceText(location);
            foreach (var item in location.Models)
            {
                if (item.Model is not { Name: { Length: > 0 } name } model || !string.Equals(model.Format, "OpenAI", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var id = catalogIds.TryGetValue(name, out var catalogModel) ? catalogModel.Id : name;
                if (!byModel.TryGetValue(id, out var facts))
                {
                    byModel[id] = facts = new ModelFacts(id, catalogModel?.DisplayName ?? name);
                }

                facts.Add(location, source, model);
            }
        }

        return [.. byModel.Values.Select(f => f.ToModel())];
    }

    /// <summary>"From the models API of location swedencentral (subscription 0000…)"; the date is the provenance's.</summary>
    public static string SourceText(LocationModels location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return $"From the models API of location {location.Location} (subscription {location.Subscription})";
    }

    /// <summary>The inference task of a version, from its capabilities (<c>"chatCompletion": "true"</c> …), or null.</summary>
    public static string? TaskOf(IReadOnlyDictionary<string, string>? capabilities)
    {
        bool Has(string name) => capabilities?.TryGetValue(name, out var value) == true && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
        return Has("chatCompletion") || Has("chat") ? "chat-completion"
            : Has("embeddings") ? "embeddings"
            : Has("imageGenerations") ? "text-to-image"
            : null;
    }

    private static Dictionary<string, CatalogModel> CatalogIds(IReadOnlyList<CatalogModel> known)
    {
        var ids = new Dictionary<string, CatalogModel>(StringComparer.OrdinalIgnoreCase);
        // Azure OpenAI models first: a name they hold is theirs, before any other collection's alias.
        foreach (var m in known.OrderBy(m => string.Equals(m.Collection, Collection, StringComparison.OrdinalIgnoreCase) ? 0 : 1))
        {
            ids.TryAdd(m.Id, m);
        }

        foreach (var m in known.OrderBy(m => string.Equals(m.Collection, Collection, StringComparison.OrdinalIgnoreCase) ? 0 : 1))
        {
            ids.TryAdd(m.DisplayName, m);
            foreach (var alias in m.Aliases)
            {
                ids.TryAdd(alias, m);
            }
        }

        return ids;
    }

    /// <summary>Everything the locations said about one model.</summary>
    private sealed class ModelFacts(string id, string displayName)
    {
        private readonly List<string> _versions = [];
        private readonly List<string> _tasks = [];
        private readonly List<string> _fineTuning = [];
        private readonly List<RegionAvailability> _regions = [];
        private readonly List<Provenance> _provenance = [];

        public void Add(LocationModels location, string source, CognitiveModel model)
        {
            var version = string.IsNullOrWhiteSpace(model.Version) ? null : model.Version;
            if (version is not null && !_versions.Contains(version, StringComparer.OrdinalIgnoreCase))
            {
                _versions.Add(version);
            }

            if (TaskOf(model.Capabilities) is { } task)
            {
                AddOnce(_tasks, task);
                if (model.Capabilities!.TryGetValue("fineTune", out var fineTune) && string.Equals(fineTune, "true", StringComparison.OrdinalIgnoreCase))
                {
                    AddOnce(_fineTuning, task);
                }
            }

            var skus = (model.Skus ?? []).Select(s => s.Name).OfType<string>().Where(s => s.Length > 0);

            // The same version is listed once per account kind (OpenAI, AIServices): one fact, with every SKU offered.
            var existing = _regions.FindIndex(r => r.Source == source && string.Equals(r.Version, version, StringComparison.OrdinalIgnoreCase));
            if (existing >= 0)
            {
                var r = _regions[existing];
                _regions[existing] = r with { Skus = [.. r.Skus.Union(skus, StringComparer.OrdinalIgnoreCase)] };
            }
            else
            {
                _regions.Add(new RegionAvailability(
                    location.Location,
                    version,
                    [.. skus.Distinct(StringComparer.OrdinalIgnoreCase)],
                    model.LifecycleStatus,
                    model.Deprecation?.Inference is { } inference ? DateOnly.FromDateTime(inference.UtcDateTime) : null,
                    model.Deprecation?.FineTune is { } fineTuneEnds ? DateOnly.FromDateTime(fineTuneEnds.UtcDateTime) : null,
                    source,
                    location.At));
            }

            var sourceId = $"azure-openai:{location.Subscription}/{location.Location}";
            if (!_provenance.Exists(p => p.SourceId == sourceId))
            {
                _provenance.Add(new Provenance(sourceId, source, null, location.At));
            }
        }

        public CatalogModel ToModel() => new()
        {
            Id = id,
            DisplayName = displayName,
            Collection = Collection,
            InferenceTasks = [.. _tasks],
            FineTuningTasks = [.. _fineTuning],
            Versions = [.. _versions.Order(StringComparer.Ordinal)],
            Regions = [.. _regions
                .OrderBy(r => AzureRegions.DisplayName(r.Region), StringComparer.OrdinalIgnoreCase)
                .ThenByDescending(r => r.Version, StringComparer.Ordinal)],
            Provenance = [.. _provenance],
        };

        private static void AddOnce(List<string> list, string value)
        {
            if (!list.Contains(value, StringComparer.Ordinal))
            {
                list.Add(value);
            }
        }
    }
}
