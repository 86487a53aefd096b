using Portal.Catalog;
using Portal.Catalog.Query;
using Portal.Catalog.Sources;

namespace Portal.Tests.Catalog;

public sealed class CatalogQueryTests
{
    private static readonly CatalogIndex Index = new(EmbeddedCatalogSource.Models);

    private static ParsedCatalogQuery Parse(bool api, params (string Key, string Value)[] pairs) =>
        CatalogQueryParser.Parse(pairs.GroupBy(p => p.Key).Select(g => new KeyValuePair<string, IReadOnlyList<string?>>(g.Key, g.Select(p => (string?)p.Value).ToList())), Index, api);

    [Fact]
    public void Text_MatchesNamePublisherDescriptionAndAliases()
    {
        Assert.All(Index.Search(Parse(false, ("q", "llama")).Query).Items, m => Assert.Contains("llama", (m.Id + m.DisplayName + m.Description).ToLowerInvariant(), StringComparison.Ordinal));
        Assert.Contains(Index.Search(Parse(false, ("q", "Llama-3-8B-Instruct")).Query).Items, m => m.Id == "Meta-Llama-3-8B-Instruct");
        Assert.Contains(Index.Search(Parse(false, ("q", "cohere")).Query).Items, m => m.Publisher == "Cohere");
    }

    [Fact]
    public void Text_SeveralWords_AllMustMatch()
    {
        var both = Index.Search(Parse(false, ("q", "phi vision")).Query);

        Assert.NotEmpty(both.Items);
        Assert.All(both.Items, m => Assert.Contains("vision", m.Id, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, Index.Search(Parse(false, ("q", "phi nosuchword")).Query).Total);
    }

    [Fact]
    public void FacetValues_AreMatchedCaseInsensitively()
    {
        var parsed = Parse(false, ("publisher", "meta"), ("deployment", "SERVERLESS-API"));

        Assert.Empty(parsed.Notices);
        Assert.Equal(["Meta"], parsed.Query.SelectedValues(Facet.Publisher));
        Assert.Equal(["serverless-api"], parsed.Query.SelectedValues(Facet.Deployment));
    }

    [Fact]
    public void UnknownValue_OnThePage_IsIgnoredWithANotice()
    {
        var parsed = Parse(false, ("publisher", "Nobody"), ("publisher", "Meta"));

        Assert.Equal(["Meta"], parsed.Query.SelectedValues(Facet.Publisher));
        Assert.Contains(parsed.Notices, n => n.Contains("'Nobody'", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownValue_InTheApi_FiltersToNothingWithANotice()
    {
        var parsed = Parse(true, ("publisher", "Nobody"));

        Assert.Equal(0, Index.Search(parsed.Query).Total);
        Assert.Contains(parsed.Notices, n => n.Contains("'Nobody'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("page", "zero")]
    [InlineData("page", "-3")]
    [InlineData("pageSize", "100000")]
    [InlineData("sort", "random")]
    [InlineData("colour", "blue")]
    public void MalformedValue_IsIgnoredWithANotice(string key, string value)
    {
        var parsed = Parse(false, (key, value));

        Assert.Single(parsed.Notices);
        Assert.Equal(1, parsed.Query.Page);
        Assert.Equal(CatalogQuery.DefaultPageSize, parsed.Query.PageSize);
        Assert.Equal(CatalogSort.Name, parsed.Query.Sort);
    }

    [Fact]
    public void Sort_ContextWindow_LargestFirstUnknownLast()
    {
        var items = Index.Search(new CatalogQuery { Sort = CatalogSort.ContextWindow, PageSize = 200 }).Items;

        var known = items.TakeWhile(m => m.ContextWindowTokens is not null).Select(m => m.ContextWindowTokens!.Value).ToList();
        Assert.Equal(known.OrderDescending(), known);
        Assert.All(items.Skip(known.Count), m => Assert.Null(m.ContextWindowTokens));
        Assert.Equal(Index.Models.Count(m => m.ContextWindowTokens is null), items.Count - known.Count);
    }

    [Fact]
    public void Sort_Newest_DatedModelsFirst()
    {
        var items = Index.Search(new CatalogQuery { Sort = CatalogSort.Newest, PageSize = 200 }).Items;

        var dates = items.Select(m => CatalogIndex.ReleaseSortKey(m.ReleaseDate)).ToList();
        var known = dates.TakeWhile(d => d is not null).ToList();
        Assert.NotEmpty(known);
        Assert.Equal(known.OrderDescending(), known);
        Assert.All(dates.Skip(known.Count), Assert.Null);
    }

    [Fact]
    public void Paging_PagesAreDisjointAndCoverTheResult()
    {
        var pages = Enumerable.Range(1, 3).Select(p => Index.Search(new CatalogQuery { Page = p, PageSize = 30 })).ToList();

        Assert.Equal(67, pages.Sum(p => p.Items.Count));
        Assert.Equal(67, pages.SelectMany(p => p.Items).Select(m => m.Id).Distinct().Count());
        Assert.Equal(3, pages[0].PageCount);
        Assert.Empty(Index.Search(new CatalogQuery { Page = 9, PageSize = 30 }).Items);
    }

    [Fact]
    public void AllMatches_EqualsEveryPageOfTheSearchInOrder()
    {
        var query = Parse(false, ("task", "chat-completion"), ("sort", "context")).Query;

        var paged = Enumerable.Range(1, 5).SelectMany(p => Index.Search(query with { Page = p, PageSize = 10 }).Items).Select(m => m.Id).ToList();

        Assert.Equal(paged, Index.AllMatches(query).Select(m => m.Id));
        Assert.Equal(Index.Search(query).Total, paged.Count);
    }

    [Fact]
    public void ContextFacet_BucketsEveryModelOnce()
    {
        var context = Index.Search(new CatalogQuery()).Facets.Single(f => f.Facet == Facet.ContextWindow).Values;

        Assert.Equal(67, context.Sum(v => v.Count));
        Assert.Equal(Index.Models.Count(m => m.ContextWindowTokens is null), context.Single(v => v.Value == CatalogFacets.Unknown).Count);
    }

    [Theory]
    [InlineData("text (multilingual)", "text")]
    [InlineData("vector (1,024 dim.)", "vector")]
    [InlineData("time series (JSON)", "time series")]
    [InlineData("image", "image")]
    public void ModalityKind_DropsThePrintedDetail(string printed, string kind)
    {
        Assert.Equal(kind, CatalogFacets.ModalityKind(printed));
    }

    [Theory]
    [InlineData("mit", CommercialUse.Allowed)]
    [InlineData("apache-2.0", CommercialUse.Allowed)]
    [InlineData("CC-BY-NC (open-weights research release)", CommercialUse.NotAllowed)]
    [InlineData("llama3.1", CommercialUse.SeeTerms)]
    [InlineData(null, CommercialUse.Unknown)]
    public void CommercialUse_FromTheLicenceIdentifierOnly(string? license, CommercialUse expected)
    {
        Assert.Equal(expected, Licenses.CommercialUseOf(license));
    }
}
