using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Catalog.Facts;
using Portal.Catalog.Sources;

namespace Portal.Tests.Hosting;

public sealed class CatalogApiTests : IAsyncLifetime
{
    private PortalHost _host = default!;
    private HttpClient _client = default!;

    public async Task InitializeAsync()
    {
        _host = await PortalHost.StartAsync();
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task List_NoParameters_AllEmbeddedModelsWithFacets()
    {
        var json = await GetJsonAsync("/api/models?pageSize=200");

        Assert.Equal(67, json.GetProperty("total").GetInt32());
        Assert.Equal(67, json.GetProperty("items").GetArrayLength());
        var item = json.GetProperty("items")[0];
        foreach (var field in new[] { "id", "name", "publisher", "collection", "tasks", "fineTuningTasks", "license", "deploymentOptions", "contextWindow" })
        {
            Assert.True(item.TryGetProperty(field, out _), $"item lacks {field}");
        }

        var publishers = json.GetProperty("facets").GetProperty("publisher").EnumerateArray().ToList();
        Assert.Equal(15, publishers.Single(p => p.GetProperty("value").GetString() == "Meta").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task List_RepeatedParameter_IsOrWithinFacetAndAndAcrossFacets()
    {
        var json = await GetJsonAsync("/api/models?publisher=Meta&publisher=Microsoft&task=chat-completion&deployment=serverless-api&pageSize=200");

        var expected = RawModels().Count(m =>
            m.GetProperty("publisher").GetString() is "Meta" or "Microsoft"
            && m.GetProperty("inference_tasks").EnumerateArray().Any(t => t.GetString() == "chat-completion")
            && m.GetProperty("deployment") is { ValueKind: JsonValueKind.Object } d && d.GetProperty("serverless_api").ValueKind == JsonValueKind.True);
        Assert.Equal(expected, json.GetProperty("total").GetInt32());
        Assert.All(json.GetProperty("items").EnumerateArray(), i => Assert.True(i.GetProperty("publisher").GetString() is "Meta" or "Microsoft"));
    }

    [Fact]
    public async Task List_PagingAndSort_AreApplied()
    {
        var page2 = await GetJsonAsync("/api/models?sort=context&page=2&pageSize=10");

        Assert.Equal(2, page2.GetProperty("page").GetInt32());
        Assert.Equal(10, page2.GetProperty("items").GetArrayLength());
        var windows = page2.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("contextWindow").GetInt32()).ToList();
        Assert.Equal(windows.OrderDescending(), windows);
    }

    [Fact]
    public async Task List_UnknownValueAndMalformedPage_AnswerWithNotices()
    {
        var json = await GetJsonAsync("/api/models?publisher=Nobody&page=abc");

        Assert.Equal(0, json.GetProperty("total").GetInt32());
        var notices = json.GetProperty("notices").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains(notices, n => n!.Contains("'Nobody'", StringComparison.Ordinal));
        Assert.Contains(notices, n => n!.Contains("'abc'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_KnownId_FullModelWithProvenance()
    {
        var json = await GetJsonAsync("/api/models/Phi-3-mini-4k-instruct");

        Assert.Equal("mit", json.GetProperty("license").GetString());
        Assert.Equal("embedded", json.GetProperty("provenance")[0].GetProperty("sourceId").GetString());
        Assert.True(json.GetProperty("fieldSources").TryGetProperty("license", out _));
        Assert.NotEqual(0, json.GetProperty("sources").GetArrayLength());
    }

    [Fact]
    public async Task Get_UnknownId_Returns404ProblemDetails()
    {
        var response = await _client.GetAsync(new Uri("/api/models/no-such-model", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("no-such-model", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_DescribesListAndGet()
    {
        var json = await GetJsonAsync("/openapi/v1.json");

        var paths = json.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/models", out var list));
        Assert.True(paths.TryGetProperty("/api/models/{id}", out _));
        Assert.Contains("pageSize", list.GetProperty("get").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportCsv_FilteredView_OneRowPerMatchingModel()
    {
        var csv = await _client.GetStringAsync(new Uri("/api/models/export.csv?publisher=Cohere", UriKind.Relative));

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + RawModels().Count(m => m.GetProperty("publisher").GetString() == "Cohere"), lines.Length);
        Assert.StartsWith("id,name,publisher", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportJson_ReadsBackAsAValidCatalogFile()
    {
        var json = await _client.GetStringAsync(new Uri("/api/models/export.json?task=embeddings", UriKind.Relative));

        var read = CatalogFileReader.Read(json, EmbeddedCatalogSource.Provenance);
        Assert.True(read.IsValid);
        Assert.Equal(RawModels().Count(m => m.GetProperty("inference_tasks").EnumerateArray().Any(t => t.GetString() == "embeddings")), read.Models.Count);
    }

    [Fact]
    public async Task List_Default_EachFacetListsItsTenMostCommonValuesAndCountsThemAll()
    {
        var raw = RawPublisherCounts();

        var json = await GetJsonAsync("/api/models");

        var listed = json.GetProperty("facets").GetProperty("publisher").EnumerateArray()
            .ToDictionary(p => p.GetProperty("value").GetString()!, p => p.GetProperty("count").GetInt32());
        Assert.Equal(10, listed.Count);
        Assert.Equal(raw.Count, json.GetProperty("facetTotals").GetProperty("publisher").GetInt32());
        Assert.All(listed, p => Assert.Equal(raw[p.Key], p.Value));
        Assert.True(listed.Values.Min() >= raw.Where(p => !listed.ContainsKey(p.Key)).Max(p => p.Value), "a less common publisher was listed before a more common one");
    }

    [Fact]
    public async Task List_SelectedPublisherOutsideTheTopTen_IsStillListed()
    {
        var json = await GetJsonAsync("/api/models?publisher=Nixtla&publisher=Core42");

        var listed = json.GetProperty("facets").GetProperty("publisher").EnumerateArray().ToList();
        Assert.Equal(["Core42", "Nixtla"], listed.Where(p => p.GetProperty("selected").GetBoolean()).Select(p => p.GetProperty("value").GetString()).Order(StringComparer.Ordinal));
        Assert.True(listed.Count <= 12);
    }

    [Fact]
    public async Task List_FacetParameter_ListsEveryValueOfThatFacetOnly()
    {
        var json = await GetJsonAsync("/api/models?facet=publisher&facetLimit=2");

        Assert.Equal(RawPublisherCounts().Count, json.GetProperty("facets").GetProperty("publisher").GetArrayLength());
        Assert.Equal(2, json.GetProperty("facets").GetProperty("license").GetArrayLength());
        Assert.True(json.GetProperty("facetTotals").GetProperty("license").GetInt32() > 2);
    }

    [Fact]
    public async Task List_FacetSearch_ListsTheValuesOfThatFacetContainingTheText()
    {
        var expected = RawPublisherCounts().Keys.Where(p => p.Contains("me", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();

        var json = await GetJsonAsync("/api/models?facet=publisher&facetSearch=ME");

        var listed = json.GetProperty("facets").GetProperty("publisher").EnumerateArray().Select(p => p.GetProperty("value").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, listed);
        Assert.Equal(expected.Count, json.GetProperty("facetTotals").GetProperty("publisher").GetInt32());
    }

    [Fact]
    public async Task List_MalformedFacetParameters_AnswerWithNotices()
    {
        var json = await GetJsonAsync("/api/models?facetLimit=5000&facet=nonsense&facetSearch=x");

        var notices = json.GetProperty("notices").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Contains(notices, n => n.Contains("'5000'", StringComparison.Ordinal));
        Assert.Contains(notices, n => n.Contains("'nonsense'", StringComparison.Ordinal));
        Assert.Contains(notices, n => n.Contains("facetSearch", StringComparison.Ordinal));
        Assert.DoesNotContain(notices, n => n.Contains("unknown parameter", StringComparison.Ordinal));
        Assert.Equal(10, json.GetProperty("facets").GetProperty("publisher").GetArrayLength());
    }

    /// <summary>Models per publisher in the embedded catalog file; a model without one counts as "unknown", as the catalog files it.</summary>
    private static Dictionary<string, int> RawPublisherCounts() =>
        RawModels()
            .GroupBy(m => m.TryGetProperty("publisher", out var p) && p.GetString() is { } name ? name : "unknown", StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);

    private static List<JsonElement> RawModels()
    {
        using var doc = JsonDocument.Parse(EmbeddedCatalogSource.ReadJson());
        return [.. doc.RootElement.GetProperty("models").EnumerateArray().Select(m => m.Clone())];
    }
}
