using System.Text.Json;
using Portal.Catalog;
using Portal.Catalog.Query;
using Portal.Catalog.Sources;
using Portal.Tests.Support;

namespace Portal.Tests.Catalog;

/// <summary>The embedded catalog against an independent reading of the shared facts file (raw JSON, not the portal's reader).</summary>
public sealed class EmbeddedCatalogTests
{
    private static readonly CatalogIndex Index = new(EmbeddedCatalogSource.Models);

    [SharedDataFact]
    public void EmbeddedCopy_IsTheSharedFactsFile()
    {
        Assert.Equal(File.ReadAllText(SharedData.FactsPath), EmbeddedCatalogSource.ReadJson());
    }

    [Fact]
    public void Embedded_Loads67ModelsWithProvenance()
    {
        Assert.Equal(67, Index.Count);
        Assert.All(Index.Models, m => Assert.Equal(EmbeddedCatalogSource.SourceId, Assert.Single(m.Provenance).SourceId));
        Assert.Equal(67, Index.Search(new CatalogQuery { PageSize = 200 }).Total);
    }

    [Fact]
    public void Embedded_UnknownFactsStayNull()
    {
        var gpt4o = Assert.IsType<CatalogModel>(Index.Find("gpt-4o"));
        Assert.Null(gpt4o.License);
        Assert.Equal(128_000, gpt4o.ContextWindowTokens);
        Assert.Null(gpt4o.Deployment?.ManagedCompute);
    }

    public static TheoryData<string, string[]> Combinations => new()
    {
        { "publisher", ["Meta"] },
        { "publisher", ["Meta", "Mistral AI"] },
        { "task", ["chat-completion"] },
        { "task", ["chat-completion", "embeddings"] },
        { "deployment", ["managed-compute"] },
        { "deployment", ["serverless-api"] },
        { "deployment", ["managed-compute", "serverless-api"] },
        { "finetune", ["chat-completion"] },
        { "license", ["mit", "apache-2.0"] },
        { "collection", ["Hugging Face"] },
        { "publisher&task", ["Meta|Mistral AI", "chat-completion"] },
        { "publisher&deployment&task", ["Meta|Microsoft", "serverless-api", "chat-completion"] },
        { "collection&license", ["Curated by Azure AI", "mit|llama3"] },
        { "task&finetune", ["text-generation", "text-generation|text-classification"] },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Search_FacetCombination_TotalEqualsIndependentCount(string facets, string[] values)
    {
        var names = facets.Split('&');
        var selection = names.Select((name, i) => (Name: name, Values: values[i].Split('|'))).ToList();
        var parameters = selection.Select(s => new KeyValuePair<string, IReadOnlyList<string?>>(s.Name, s.Values)).ToList();

        var query = CatalogQueryParser.Parse(parameters, Index, keepUnknownValues: true);
        var result = Index.Search(query.Query);

        Assert.Empty(query.Notices);
        Assert.Equal(IndependentCount(selection), result.Total);
    }

    [Fact]
    public void Search_PublisherSelected_PublisherFacetStillCountsOtherPublishers()
    {
        var result = Index.Search(new CatalogQuery
        {
            Selected = new Dictionary<Facet, IReadOnlyList<string>> { [Facet.Publisher] = ["Meta"], [Facet.Task] = ["chat-completion"] },
        });

        var publishers = result.Facets.Single(f => f.Facet == Facet.Publisher).Values;
        Assert.Equal(IndependentCount([("task", ["chat-completion"]), ("publisher", ["Mistral AI"])]), publishers.Single(v => v.Value == "Mistral AI").Count);
        Assert.True(publishers.Single(v => v.Value == "Meta").Selected);

        var tasks = result.Facets.Single(f => f.Facet == Facet.Task).Values;
        Assert.Equal(IndependentCount([("publisher", ["Meta"]), ("task", ["text-generation"])]), tasks.Single(v => v.Value == "text-generation").Count);
    }

    [Fact]
    public void Search_NoFilter_EveryPublisherCountMatchesTheFile()
    {
        // Every publisher, not the ten most common the page lists.
        var publishers = Index.Search(new CatalogQuery { FacetLimit = null }).Facets.Single(f => f.Facet == Facet.Publisher).Values;

        foreach (var group in RawModels().GroupBy(m => m.TryGetProperty("publisher", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : CatalogFacets.Unknown))
        {
            Assert.Equal(group.Count(), publishers.Single(v => v.Value == group.Key).Count);
        }
    }

    /// <summary>Counts straight from the shared JSON, OR within a facet and AND across facets.</summary>
    private static int IndependentCount(IReadOnlyList<(string Name, string[] Values)> selection) =>
        RawModels().Count(model => selection.All(s => s.Values.Any(v => RawValues(model, s.Name).Contains(v))));

    private static IEnumerable<string> RawValues(JsonElement model, string facet)
    {
        string? Str(string name) => model.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        IEnumerable<string> Arr(string name) => model.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Array ? p.EnumerateArray().Select(x => x.GetString()!) : [];
        bool True(string name) => model.TryGetProperty("deployment", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty(name, out var b) && b.ValueKind == JsonValueKind.True;

        return facet switch
        {
            "publisher" => [Str("publisher") ?? CatalogFacets.Unknown],
            "collection" => [Str("collection") ?? CatalogFacets.Unknown],
            "license" => [Str("license") ?? CatalogFacets.Unknown],
            "task" => Arr("inference_tasks"),
            "finetune" => Arr("fine_tuning_tasks"),
            "deployment" => new[] { True("managed_compute") ? "managed-compute" : null, True("serverless_api") ? "serverless-api" : null }.OfType<string>(),
            _ => throw new ArgumentOutOfRangeException(nameof(facet)),
        };
    }

    private static List<JsonElement> RawModels()
    {
        using var doc = JsonDocument.Parse(EmbeddedCatalogSource.ReadJson());
        return [.. doc.RootElement.GetProperty("models").EnumerateArray().Select(m => m.Clone())];
    }
}
