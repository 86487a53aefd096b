using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Sources;

namespace Portal.Tests.Hosting;

public sealed class BenchmarkApiTests : IAsyncLifetime
{
    private const string Llama = "Meta-Llama-3-8B-Instruct";
    private const string Phi = "Phi-3-mini-4k-instruct";
    private const string Mistral = "mistralai-Mistral-7B-v01";

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

    private async Task<JsonElement> GetJsonAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string? Str(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();

    /// <summary>
    /// For every model in the facts file, the API returns exactly its rows: label, setting, value, source and table.
    /// The file is read here as raw JSON (the embedded copy, which EmbeddedCopy_IsTheSharedFactsFile keeps equal to shared/).
    /// </summary>
    [Fact]
    public async Task List_ForEveryModel_ReturnsExactlyTheSharedFilesRows()
    {
        using var facts = JsonDocument.Parse(EmbeddedCatalogSource.ReadJson());
        var expectedByModel = facts.RootElement.GetProperty("benchmarks").EnumerateArray()
            .GroupBy(r => r.GetProperty("model").GetString()!)
            .ToDictionary(g => g.Key, g => g.Select(r => (
                Label: r.GetProperty("benchmark").GetString(),
                Setting: r.GetProperty("setting").ValueKind == JsonValueKind.Null ? null : r.GetProperty("setting").GetString(),
                Value: r.GetProperty("score").GetDouble(),
                Url: r.GetProperty("source").GetString(),
                Table: r.GetProperty("source_table").GetString())).ToList());

        foreach (var model in facts.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("id").GetString()!))
        {
            var json = await GetJsonAsync($"/api/benchmarks?model={Uri.EscapeDataString(model)}");
            var actual = json.GetProperty("items").EnumerateArray().Select(i => (
                Label: Str(i, "label"),
                Setting: Str(i, "setting"),
                Value: i.GetProperty("value").GetDouble(),
                Url: Str(i.GetProperty("source"), "url"),
                Table: Str(i.GetProperty("source"), "table"))).ToList();
            var expected = expectedByModel.GetValueOrDefault(model) ?? [];

            Assert.Equal(expected, actual);
            Assert.All(json.GetProperty("items").EnumerateArray(), i => Assert.Equal(model, i.GetProperty("model").GetString()));
        }
    }

    [Fact]
    public async Task List_ComparatorRows_AreThirdParty_AndOwnersRowsAreModelOwner()
    {
        var json = await GetJsonAsync("/api/benchmarks?model=Llama-2-7b");
        var items = json.GetProperty("items").EnumerateArray().ToList();

        Assert.Contains(items, i => i.GetProperty("kind").GetString() == "third-party" && i.GetProperty("source").GetProperty("url").GetString()!.Contains("llama3", StringComparison.Ordinal));
        Assert.Contains(items, i => i.GetProperty("kind").GetString() == "model-owner");
        Assert.All(items, i => Assert.True(i.GetProperty("kind").GetString() is "model-owner" or "third-party"));
    }

    [Fact]
    public async Task List_UnknownModel_IsANotice_NotAnError()
    {
        var json = await GetJsonAsync("/api/benchmarks?model=no-such-model");

        Assert.Equal(0, json.GetProperty("count").GetInt32());
        Assert.Contains("no-such-model", json.GetProperty("notices")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NoModel_ReturnsEveryRow()
    {
        var json = await GetJsonAsync("/api/benchmarks");

        Assert.Equal(BenchmarkData.Embedded.Scores.Count, json.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Index_ThreeModels_UsesOnlyDatasetsAllHave_AndListsThem()
    {
        var json = await GetJsonAsync($"/api/benchmarks/index?model={Llama}&model={Phi}&model={Mistral}");

        var datasets = json.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("key").GetString()!).ToList();
        Assert.Contains("MMLU", datasets);
        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        foreach (var item in items)
        {
            var used = item.GetProperty("used").EnumerateArray().ToList();
            Assert.Equal(datasets, used.Select(u => u.GetProperty("dataset").GetString()!));
            Assert.Equal(Math.Round(used.Average(u => u.GetProperty("value").GetDouble()), 4), item.GetProperty("index").GetDouble(), 4);
        }
    }

    [Fact]
    public async Task Index_WithoutModels_Is400ProblemDetails()
    {
        var json = await GetJsonAsync("/api/benchmarks/index", HttpStatusCode.BadRequest);

        Assert.Equal("No model given", json.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Index_ChosenDataset_RanksOnlyModelsThatHaveIt()
    {
        var json = await GetJsonAsync($"/api/benchmarks/index?model={Llama}&model=text-embedding-3-small&dataset=MMLU");

        var items = json.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("model").GetString()!);
        Assert.Equal(JsonValueKind.Number, items[Llama].GetProperty("index").ValueKind);
        Assert.Equal(JsonValueKind.Null, items["text-embedding-3-small"].GetProperty("index").ValueKind);
        Assert.Equal("No MMLU score.", items["text-embedding-3-small"].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ExportCsv_IsTheTableCellForCell()
    {
        var response = await _client.GetAsync(new Uri($"/api/benchmarks/export.csv?models={Llama}&models={Phi}&models={Mistral}&dataset=MMLU&dataset=GSM8K", UriKind.Relative));
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("Model,Model id,Publisher,\"Quality index (MMLU, GSM8K)\",MMLU,GSM8K", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("Meta-Llama-3-8B-Instruct,Meta-Llama-3-8B-Instruct,Meta,", StringComparison.Ordinal) && l.EndsWith(",68.4,79.6", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenApi_DescribesTheBenchmarkEndpoints()
    {
        var json = await GetJsonAsync("/openapi/v1.json");

        Assert.True(json.GetProperty("paths").TryGetProperty("/api/benchmarks", out _));
        Assert.True(json.GetProperty("paths").TryGetProperty("/api/benchmarks/index", out _));
    }
}
