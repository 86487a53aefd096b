using BenchmarkDotNet.Attributes;
using Portal.Catalog;
using Portal.Catalog.Query;

namespace Portal.Benchmarks;

/// <summary>
/// The catalog's full query (text search + 3 facets + every facet's counts + sort + one page of 48) on a 10,000-model
/// catalog, against a bare LINQ Where/OrderBy/Skip/Take over the same data (which computes no facet counts at all).
/// </summary>
[MemoryDiagnoser]
public class CatalogQueryBenchmarks
{
    private static readonly string[] Publishers = ["Meta", "Microsoft"];

    private IReadOnlyList<CatalogModel> _models = [];
    private CatalogIndex _index = CatalogIndex.Empty;
    private CatalogQuery _query = new();

    [Params(10_000)]
    public int Models { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _models = SyntheticCatalog.Create(Models);
        _index = new CatalogIndex(_models);
        _query = new CatalogQuery
        {
            Text = "instruct",
            Selected = new Dictionary<Facet, IReadOnlyList<string>>
            {
                [Facet.Publisher] = Publishers,
                [Facet.Task] = ["chat-completion"],
                [Facet.Deployment] = ["serverless-api"],
            },
            Sort = CatalogSort.ContextWindow,
            Page = 1,
            PageSize = 48,
        };

        // Both answer the same question.
        var portal = _index.Search(_query).Items.Select(m => m.Id).ToList();
        var linq = BareLinq().Select(m => m.Id).ToList();
        if (portal.Count != linq.Count || portal.Count == 0)
        {
            throw new InvalidOperationException($"The two queries disagree: {portal.Count} vs {linq.Count} items.");
        }
    }

    [Benchmark(Baseline = true, Description = "bare LINQ Where/OrderBy/Skip/Take (no facet counts)")]
    public List<CatalogModel> BareLinq() => [.. _models
        .Where(m => (m.Id.Contains("instruct", StringComparison.OrdinalIgnoreCase)
                || m.DisplayName.Contains("instruct", StringComparison.OrdinalIgnoreCase)
                || (m.Description?.Contains("instruct", StringComparison.OrdinalIgnoreCase) ?? false)
                || (m.Publisher?.Contains("instruct", StringComparison.OrdinalIgnoreCase) ?? false)
                || m.Aliases.Any(a => a.Contains("instruct", StringComparison.OrdinalIgnoreCase)))
            && (m.Publisher == "Meta" || m.Publisher == "Microsoft")
            && m.InferenceTasks.Contains("chat-completion")
            && m.Deployment?.ServerlessApi == true)
        .OrderBy(m => m.ContextWindowTokens is null ? 1 : 0)
        .ThenByDescending(m => m.ContextWindowTokens ?? 0)
        .ThenBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase)
        .Skip(0)
        .Take(48)];

    [Benchmark(Description = "portal catalog query (search + 3 facets + facet counts + sort + page)")]
    public CatalogSearchResult PortalQuery() => _index.Search(_query);
}
