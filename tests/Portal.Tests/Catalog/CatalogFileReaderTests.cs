using Portal.Catalog;
using Portal.Catalog.Export;
using Portal.Catalog.Facts;
using Portal.Catalog.Sources;

namespace Portal.Tests.Catalog;

public sealed class CatalogFileReaderTests
{
    private static readonly Provenance Test = new("test", "Test file", null, null);

    [Fact]
    public void Read_NotJson_ReportsWhereAndReturnsNothing()
    {
        var result = CatalogFileReader.Read("{\"models\": [ {\"id\": \"a\" ", Test);

        Assert.False(result.IsValid);
        Assert.Empty(result.Models);
        var error = Assert.Single(result.Errors);
        Assert.Equal("$", error.Path);
        Assert.Contains("Not valid JSON (line 1", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SeveralProblems_ListsEachWithPathAndNothingIsReturned()
    {
        const string json = """
            {"models": [
              {"id": "good-model", "display_name": "Good"},
              {"id": "", "context_window_tokens": "lots"},
              {"id": "good-model", "inference_tasks": ["chat", 3], "publiser": "typo"},
              {"id": "x", "deployment": {"managed_compute": "yes"}, "azure_lifecycle": {"inferenceRetirementDate": "soon"}}
            ]}
            """;

        var result = CatalogFileReader.Read(json, Test);

        Assert.Empty(result.Models);
        var paths = result.Errors.Select(e => e.Path).ToList();
        Assert.Contains("$.models[1].id", paths);
        Assert.Contains("$.models[1].context_window_tokens", paths);
        Assert.Contains("$.models[2].id", paths);
        Assert.Contains("$.models[2].inference_tasks[1]", paths);
        Assert.Contains("$.models[2].publiser", paths);
        Assert.Contains("$.models[3].deployment.managed_compute", paths);
        Assert.Contains("$.models[3].azure_lifecycle.inferenceRetirementDate", paths);
        Assert.Contains(result.Errors, e => e.Reason.Contains("Duplicate id 'good-model'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"models\": {}}")]
    [InlineData("{\"models\": []}")]
    [InlineData("{\"models\": [1]}")]
    public void Read_WrongShape_IsAnError(string json)
    {
        Assert.NotEmpty(CatalogFileReader.Read(json, Test).Errors);
    }

    [Fact]
    public void Read_MinimalModel_DefaultsAndNullsAreKept()
    {
        var result = CatalogFileReader.Read("{\"models\": [{\"id\": \"my-model\"}]}", Test);

        var model = Assert.Single(result.Models);
        Assert.Equal("my-model", model.DisplayName);
        Assert.Null(model.ContextWindowTokens);
        Assert.Null(model.Publisher);
        Assert.Equal(Test, Assert.Single(model.Provenance));
    }

    [Fact]
    public void Export_Json_ReadsBackToTheSameModels()
    {
        using var stream = new MemoryStream();
        CatalogExporter.WriteJson(stream, EmbeddedCatalogSource.Models);

        var result = CatalogFileReader.Read(System.Text.Encoding.UTF8.GetString(stream.ToArray()), EmbeddedCatalogSource.Provenance);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(EmbeddedCatalogSource.Models.Count, result.Models.Count);
        foreach (var (original, back) in EmbeddedCatalogSource.Models.Zip(result.Models))
        {
            Assert.Equal(original.Id, back.Id);
            Assert.Equal(original.ContextWindowTokens, back.ContextWindowTokens);
            Assert.Equal(original.License, back.License);
            Assert.Equal(original.Deployment, back.Deployment);
            Assert.Equal(original.Lifecycle, back.Lifecycle);
            Assert.Equal(original.InferenceTasks, back.InferenceTasks);
            Assert.Equal(original.FieldSources, back.FieldSources);
        }
    }

    [Fact]
    public void Export_Csv_HeaderThenOneRowPerModelAndFormulasEscaped()
    {
        var formula = new CatalogModel { Id = "evil", DisplayName = "=HYPERLINK(\"http://x\")", Provenance = [Test] };

        var csv = CatalogExporter.ToCsv([.. EmbeddedCatalogSource.Models.Take(3), formula]);

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', CatalogExporter.CsvColumns), lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("Llama-2-7b,Llama-2-7b,Meta,Curated by Azure AI,text-generation,", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_SameIdFromTwoSources_KeepsFirstValuesAndRecordsConflictAndProvenance()
    {
        var embedded = EmbeddedCatalogSource.Models.Single(m => m.Id == "gpt-4o");
        var imported = embedded with { ContextWindowTokens = 131_072, License = "proprietary", Provenance = [Test] };

        var merged = Assert.Single(CatalogMerger.Merge([[embedded], [imported]]));

        Assert.Equal(128_000, merged.ContextWindowTokens);
        Assert.Equal("proprietary", merged.License); // unknown in the first source, filled from the second
        Assert.Equal(["embedded", "test"], merged.Provenance.Select(p => p.SourceId));
        var conflict = Assert.Single(merged.Conflicts, c => c.Field == "context_window_tokens");
        Assert.Equal(["128,000", "131,072"], conflict.Values.Select(v => v.Value));
        Assert.Equal("Test file", conflict.Values[1].SourceName);
    }
}
