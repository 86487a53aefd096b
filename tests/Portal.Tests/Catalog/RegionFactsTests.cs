using System.Reflection;
using System.Text;
using Azure.Core;
using Portal.Azure;
using Portal.Catalog;
using Portal.Catalog.Export;
using Portal.Catalog.Facts;
using Portal.Catalog.Query;
using Portal.Catalog.Sources;
using Portal.Web;

namespace Portal.Tests.Catalog;

/// <summary>Region facts: the live Azure OpenAI models joined into the catalog, the Region facet, the catalog file field.</summary>
public sealed class RegionFactsTests
{
    private const string Subscription = "sub-1";
    private static readonly DateTimeOffset At = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static CognitiveModel Model(
        string name, string version, string lifecycle = "GenerallyAvailable", string[]? skus = null, string capability = "chatCompletion",
        bool fineTune = false, string format = "OpenAI", string? inferenceEnds = "2027-06-30T00:00:00Z") =>
        new(name, format, version, null, null,
            new Dictionary<string, string> { [capability] = "true", ["fineTune"] = fineTune ? "true" : "false" },
            null,
            new ModelDeprecation(null, inferenceEnds is null ? null : DateTimeOffset.Parse(inferenceEnds, System.Globalization.CultureInfo.InvariantCulture), "Planned"),
            true, lifecycle, 1000, null,
            [.. (skus ?? ["Standard"]).Select(s => new CognitiveModelSku(s, $"OpenAI.{s}.{name}", null, null, null))],
            null, null);

    private static AzureOpenAICatalogSource.LocationModels Location(string location, params LocationModel[] models) =>
        new(Subscription, location, models, At);

    private static LocationModel OpenAI(CognitiveModel model, string kind = "OpenAI") => new(kind, "S0", model);

    /// <summary>What the ARM peer's two locations say, in short: dall-e-3 and gpt-4o 2024-11-20 only in Sweden Central.</summary>
    private static IReadOnlyList<AzureOpenAICatalogSource.LocationModels> TwoLocations() =>
    [
        Location("swedencentral",
            OpenAI(Model("gpt-4o", "2024-08-06", skus: ["Standard", "GlobalStandard"], fineTune: true)),
            OpenAI(Model("gpt-4o", "2024-08-06", skus: ["DataZoneStandard"], fineTune: true), kind: "AIServices"),
            OpenAI(Model("gpt-4o", "2024-05-13", lifecycle: "Deprecating", inferenceEnds: "2026-12-20T00:00:00Z")),
            OpenAI(Model("gpt-4o", "2024-11-20", lifecycle: "Preview", skus: ["GlobalStandard"])),
            OpenAI(Model("dall-e-3", "3.0", capability: "imageGenerations")),
            OpenAI(Model("text-embedding-3-small", "1", capability: "embeddings"))),
        Location("eastus2",
            OpenAI(Model("gpt-4o", "2024-08-06", skus: ["Standard"], fineTune: true)),
            OpenAI(Model("text-embedding-3-small", "1", capability: "embeddings")),
            OpenAI(Model("gpt-5-nano", "2025-08-07", skus: ["GlobalStandard"], fineTune: true)),
            OpenAI(Model("Mistral-Large-2411", "2", format: "Mistral AI"))),
    ];

    private static IReadOnlyList<CatalogModel> Merged() =>
        CatalogMerger.Merge([EmbeddedCatalogSource.Models, AzureOpenAICatalogSource.Join(TwoLocations(), EmbeddedCatalogSource.Models)]);

    [Fact]
    public void Join_KnownModel_GainsRegionsWithProvenanceAndLifecycle()
    {
        var gpt4o = Assert.Single(AzureOpenAICatalogSource.Join(TwoLocations(), EmbeddedCatalogSource.Models), m => m.Id == "gpt-4o");

        Assert.Equal("GPT-4o", gpt4o.DisplayName);
        Assert.Equal("Azure OpenAI", gpt4o.Collection);
        Assert.Equal(["2024-05-13", "2024-08-06", "2024-11-20"], gpt4o.Versions);
        Assert.Equal(["chat-completion"], gpt4o.InferenceTasks);
        Assert.Equal(["chat-completion"], gpt4o.FineTuningTasks);
        Assert.Equal(["eastus2", "swedencentral"], gpt4o.RegionsOffering().Order(StringComparer.Ordinal));
        Assert.Equal(["swedencentral"], gpt4o.RegionsOffering("2024-11-20"));

        // One fact per location and version; the OpenAI and AIServices listings of a version give one row with every SKU.
        var sweden = Assert.Single(gpt4o.Regions, r => r.Region == "swedencentral" && r.Version == "2024-08-06");
        Assert.Equal(["Standard", "GlobalStandard", "DataZoneStandard"], sweden.Skus);
        Assert.Equal("From the models API of location swedencentral (subscription sub-1)", sweden.Source);
        Assert.Equal(At, sweden.AsOf);
        var deprecating = Assert.Single(gpt4o.Regions, r => r.Region == "swedencentral" && r.Version == "2024-05-13");
        Assert.Equal("Deprecating", deprecating.LifecycleStatus);
        Assert.Equal(new DateOnly(2026, 12, 20), deprecating.InferenceDeprecationDate);
        Assert.Equal(
            ["From the models API of location eastus2 (subscription sub-1)", "From the models API of location swedencentral (subscription sub-1)"],
            gpt4o.Provenance.Select(p => p.SourceName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Join_UnknownModel_IsAddedAsAzureOpenAI_WithTasksFromCapabilities()
    {
        var models = AzureOpenAICatalogSource.Join(TwoLocations(), EmbeddedCatalogSource.Models);

        var nano = Assert.Single(models, m => m.Id == "gpt-5-nano");
        Assert.Equal("Azure OpenAI", nano.Collection);
        Assert.Equal(["chat-completion"], nano.InferenceTasks);
        Assert.Equal(["chat-completion"], nano.FineTuningTasks);
        Assert.Equal(["2025-08-07"], nano.Versions);
        Assert.Equal(["eastus2"], nano.RegionsOffering());
        Assert.Equal(["text-to-image"], Assert.Single(models, m => m.Id == "dall-e-3").InferenceTasks);
        Assert.Equal(["embeddings"], Assert.Single(models, m => m.Id == "text-embedding-3-small").InferenceTasks);
        Assert.Empty(Assert.Single(models, m => m.Id == "text-embedding-3-small").FineTuningTasks);
    }

    [Fact]
    public void Join_FormatOtherThanOpenAI_IsIgnored()
    {
        var models = AzureOpenAICatalogSource.Join(TwoLocations(), EmbeddedCatalogSource.Models);

        Assert.DoesNotContain(models, m => m.Id.StartsWith("Mistral", StringComparison.Ordinal));
    }

    [Fact]
    public void Join_MatchesByDisplayNameAndAlias()
    {
        CatalogModel[] known = [new() { Id = "team-gpt", DisplayName = "Team GPT", Aliases = ["gpt-team"], Collection = "Azure OpenAI" }];

        var models = AzureOpenAICatalogSource.Join(
            [Location("swedencentral", OpenAI(Model("gpt-team", "1")), OpenAI(Model("Team GPT", "2")))], known);

        var model = Assert.Single(models);
        Assert.Equal("team-gpt", model.Id);
        Assert.Equal(["1", "2"], model.Versions);
    }

    [Fact]
    public void Merge_EmbeddedAndLive_KeepsTheCatalogsValues_AddsRegionsAndVersions_NoConflicts()
    {
        var live = AzureOpenAICatalogSource.Join([Location("swedencentral", OpenAI(Model("gpt-4o", "2025-01-01")), OpenAI(Model("gpt-4o", "2024-08-06")))], EmbeddedCatalogSource.Models);

        var gpt4o = Assert.Single(CatalogMerger.Merge([EmbeddedCatalogSource.Models, live]), m => m.Id == "gpt-4o");

        var embedded = EmbeddedCatalogSource.Models.Single(m => m.Id == "gpt-4o");
        Assert.Equal(embedded.ContextWindowTokens, gpt4o.ContextWindowTokens);
        Assert.Equal([.. embedded.Versions, "2025-01-01"], gpt4o.Versions);
        Assert.Equal(2, gpt4o.Regions.Count);
        Assert.Equal(["Embedded catalog (sourced facts shipped with the portal)", "From the models API of location swedencentral (subscription sub-1)"], gpt4o.Provenance.Select(p => p.SourceName));
        Assert.Empty(gpt4o.Conflicts);
        Assert.True(gpt4o.IsOfferedIn("SwedenCentral", "2025-01-01"));
        Assert.False(gpt4o.IsOfferedIn("eastus2"));
    }

    [Fact]
    public void EmbeddedCatalog_HasNoRegionFacts_AndSaysUnknown()
    {
        Assert.All(EmbeddedCatalogSource.Models, m => Assert.Empty(m.Regions));
        Assert.Null(EmbeddedCatalogSource.Models.Single(m => m.Id == "gpt-4o").IsOfferedIn("swedencentral"));
        Assert.Empty(new CatalogIndex(EmbeddedCatalogSource.Models).Search(new CatalogQuery()).Facets.Single(f => f.Facet == Facet.Region).Values);
    }

    [Fact]
    public void RegionFacet_CountsModelsPerRegion_ByDisplayName()
    {
        var index = new CatalogIndex(Merged());

        var region = index.Search(new CatalogQuery()).Facets.Single(f => f.Facet == Facet.Region);

        Assert.Equal("region", region.Parameter);
        Assert.Equal([("eastus2", "East US 2", 3), ("swedencentral", "Sweden Central", 3)], region.Values.Select(v => (v.Value, v.Label, v.Count)));
    }

    [Fact]
    public void RegionFilter_OrWithinTheFacet_ModelsWithoutFactsNeverMatch()
    {
        var index = new CatalogIndex(Merged());

        var sweden = index.Search(Query(index, ("region", "swedencentral")));
        var either = index.Search(Query(index, ("region", "swedencentral"), ("region", "eastus2")));

        Assert.Equal(["dall-e-3", "gpt-4o", "text-embedding-3-small"], sweden.Items.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["dall-e-3", "gpt-4o", "gpt-5-nano", "text-embedding-3-small"], either.Items.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.All(either.Items, m => Assert.NotEmpty(m.Regions));

        // Under a region filter, the region facet still counts under the other filters, and the others under it.
        var withTask = index.Search(Query(index, ("region", "swedencentral"), ("task", "chat-completion")));
        Assert.Equal(["gpt-4o"], withTask.Items.Select(m => m.Id));
        Assert.Equal([("eastus2", 2), ("swedencentral", 1)], withTask.Facets.Single(f => f.Facet == Facet.Region).Values.Select(v => (v.Value, v.Count)));
    }

    [Fact]
    public void RegionParameter_RoundTripsThroughTheUrl()
    {
        var index = new CatalogIndex(Merged());
        var query = Query(index, ("region", "SwedenCentral"), ("region", "eastus2"), ("task", "chat-completion"));

        var url = PortalUrls.Catalog(query);
        var back = CatalogQueryParser.Parse(
            Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://portal/" + url).Query)
                .Select(p => new KeyValuePair<string, IReadOnlyList<string?>>(p.Key, p.Value.ToArray())),
            index, keepUnknownValues: false);

        Assert.Equal("models?task=chat-completion&region=swedencentral&region=eastus2", url);
        Assert.Empty(back.Notices);
        Assert.Equal(query.SelectedValues(Facet.Region), back.Query.SelectedValues(Facet.Region));
    }

    [Fact]
    public void RegionParameter_UnknownRegion_OnThePageIsIgnoredWithANotice()
    {
        var parsed = CatalogQueryParser.Parse([new("region", ["westeurope"])], new CatalogIndex(Merged()), keepUnknownValues: false);

        Assert.Empty(parsed.Query.SelectedValues(Facet.Region));
        Assert.Contains("Ignored region 'westeurope': no model in the catalog has it.", parsed.Notices);
    }

    [Fact]
    public void CatalogFile_RegionFacts_ExportAndImportUnchanged()
    {
        var models = Merged().Where(m => m.Regions.Count > 0).ToList();
        using var stream = new MemoryStream();
        CatalogExporter.WriteJson(stream, models);

        var read = CatalogFileReader.Read(Encoding.UTF8.GetString(stream.ToArray()), new Provenance("import:1", "Import 'regions' v1", null, null));

        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        var gpt4o = read.Models.Single(m => m.Id == "gpt-4o");
        var original = models.Single(m => m.Id == "gpt-4o");
        Assert.Equal(original.Regions.Count, gpt4o.Regions.Count);
        for (var i = 0; i < original.Regions.Count; i++)
        {
            Assert.Equal(original.Regions[i] with { Skus = [] }, gpt4o.Regions[i] with { Skus = [] });
            Assert.Equal(original.Regions[i].Skus, gpt4o.Regions[i].Skus);
        }
    }

    [Fact]
    public void CatalogFile_WithoutRegionFacts_ExportsNoRegionsField()
    {
        using var stream = new MemoryStream();
        CatalogExporter.WriteJson(stream, EmbeddedCatalogSource.Models);

        Assert.DoesNotContain("\"regions\"", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void CatalogFile_BadRegionFacts_AreReportedWithTheirPath()
    {
        const string json = """
            {"models": [{"id": "m", "regions": [
              {"region": "sweden central", "source": "From somewhere"},
              {"region": "eastus2"},
              {"region": "westus", "source": "x", "inference_deprecation_date": "soon", "as_of": "yesterday", "price": 1}
            ]}]}
            """;

        var result = CatalogFileReader.Read(json, new Provenance("t", "Test", null, null));

        Assert.Equal(
            ["$.models[0].regions[0].region", "$.models[0].regions[1].source", "$.models[0].regions[2].price", "$.models[0].regions[2].inference_deprecation_date", "$.models[0].regions[2].as_of"],
            result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void AzureRegions_DisplayNames_AreAzureCoresPublicLocations()
    {
        var locations = typeof(global::Azure.Core.AzureLocation).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(global::Azure.Core.AzureLocation))
            .Select(p => (global::Azure.Core.AzureLocation)p.GetValue(null)!)
            .Select(l => $"{l.Name}={l.DisplayName}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(locations, AzureRegions.DisplayNames.Select(p => $"{p.Key}={p.Value}").Order(StringComparer.Ordinal));
        Assert.Equal("Sweden Central", AzureRegions.DisplayName("swedencentral"));
        Assert.Equal("mars1", AzureRegions.DisplayName("mars1"));
    }

    [Fact]
    public async Task CatalogService_SourceLoadedInPart_ShowsItsModelsAndTheProblem()
    {
        using var service = new CatalogService([new EmbeddedCatalogSource(), new PartSource()], Microsoft.Extensions.Logging.Abstractions.NullLogger<CatalogService>.Instance);

        await service.ReloadAsync(CancellationToken.None);

        Assert.NotNull(service.Current.Find("part-model"));
        var status = Assert.Single(service.Sources, s => s.Name == "Part source");
        Assert.Equal(1, status.ModelCount);
        Assert.Equal("Part source loaded in part; the rest of the catalog is shown. Location eastus2 did not answer.", status.Error);
    }

    private static CatalogQuery Query(CatalogIndex index, params (string Key, string Value)[] pairs) =>
        CatalogQueryParser.Parse(pairs.GroupBy(p => p.Key).Select(g => new KeyValuePair<string, IReadOnlyList<string?>>(g.Key, g.Select(p => (string?)p.Value).ToList())), index, keepUnknownValues: false).Query;

    private sealed class PartSource : ICatalogSource
    {
        public int Order => 1;

        public string Name => "Part source";

        public Task<IReadOnlyList<CatalogModel>> LoadAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("LoadWithProblemsAsync is used.");

        public Task<CatalogSourceLoad> LoadWithProblemsAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new CatalogSourceLoad([new CatalogModel { Id = "part-model", DisplayName = "Part" }], ["Location eastus2 did not answer."]));
    }
}
