using System.Globalization;
using Portal.Catalog;
using Portal.Catalog.Query;

namespace Portal.Tests.Catalog;

/// <summary>Facet lists stay short whatever the catalog holds: the most common values, every selected one, and a search for the rest.</summary>
public sealed class FacetLimitTests
{
    private const int Publishers = 8_000;

    /// <summary>One model per publisher; the first twelve publishers have 13, 12 … 2 models (so the top ten is known).</summary>
    private static readonly CatalogIndex Index = new(Enumerable.Range(0, Publishers).SelectMany(p =>
        Enumerable.Range(0, p < 12 ? 13 - p : 1).Select(m => new CatalogModel
        {
            Id = $"model-{p}-{m}",
            DisplayName = $"Model {p}.{m}",
            Publisher = Publisher(p),
        })));

    private static string Publisher(int number) => "Publisher " + number.ToString("D4", CultureInfo.InvariantCulture);

    private static FacetResult PublisherFacet(CatalogQuery query) => Index.Search(query).Facets.Single(f => f.Facet == Facet.Publisher);

    [Fact]
    public void Search_EightThousandPublishers_ListsTheTopTenAndCountsThemAll()
    {
        var facet = PublisherFacet(new CatalogQuery());

        Assert.Equal(CatalogQuery.DefaultFacetLimit, facet.Values.Count);
        Assert.Equal(Publishers, facet.DistinctCount);
        Assert.True(facet.IsTruncated);
        Assert.Equal(Enumerable.Range(0, 10).Select(Publisher), facet.Values.Select(v => v.Value));
        Assert.Equal(13, facet.Values[0].Count);
    }

    [Fact]
    public void Search_SelectedPublisherOutsideTheTop_IsStillListedAndChecked()
    {
        var facet = PublisherFacet(new CatalogQuery { Selected = new Dictionary<Facet, IReadOnlyList<string>> { [Facet.Publisher] = [Publisher(7777)] } });

        Assert.Equal(CatalogQuery.DefaultFacetLimit + 1, facet.Values.Count);
        var selected = Assert.Single(facet.Values, v => v.Selected);
        Assert.Equal(Publisher(7777), selected.Value);
        Assert.Equal(1, selected.Count);
        Assert.Equal(Publishers, facet.DistinctCount);
    }

    [Fact]
    public void Search_FacetLimitNull_ListsEveryValue()
    {
        var facet = PublisherFacet(new CatalogQuery { FacetLimit = null });

        Assert.Equal(Publishers, facet.Values.Count);
        Assert.False(facet.IsTruncated);
    }

    [Fact]
    public void Search_FacetWithinTheLimit_IsListedWhole()
    {
        var facet = Index.Search(new CatalogQuery()).Facets.Single(f => f.Facet == Facet.Collection);

        Assert.Equal("unknown", Assert.Single(facet.Values).Value);
        Assert.Equal(1, facet.DistinctCount);
        Assert.False(facet.IsTruncated);
    }

    [Fact]
    public void SearchFacet_TextOfAPublisherOutsideTheTop_FindsIt()
    {
        var facet = Index.SearchFacet(new CatalogQuery(), Facet.Publisher, "  publisher 7777 ", 50);

        var found = Assert.Single(facet.Values);
        Assert.Equal(Publisher(7777), found.Value);
        Assert.Equal(1, found.Count);
        Assert.Equal(1, facet.DistinctCount);
    }

    [Fact]
    public void SearchFacet_TextMatchingMany_ListsTheLimitAndCountsEveryMatch()
    {
        var facet = Index.SearchFacet(new CatalogQuery(), Facet.Publisher, "Publisher 1", 50);

        Assert.Equal(50, facet.Values.Count);
        Assert.Equal(1_000, facet.DistinctCount); // Publisher 1000 to Publisher 1999
        Assert.All(facet.Values, v => Assert.StartsWith("Publisher 1", v.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void SearchFacet_CountsUnderTheOtherFilters()
    {
        var query = new CatalogQuery { Text = "model-3-" };

        var facet = Index.SearchFacet(query, Facet.Publisher, "publisher", 50);

        var found = Assert.Single(facet.Values);
        Assert.Equal(Publisher(3), found.Value);
        Assert.Equal(10, found.Count);
    }
}
