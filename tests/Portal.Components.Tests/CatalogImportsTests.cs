using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Portal.Catalog;
using Portal.Web.Components.Pages.Settings;

namespace Portal.Components.Tests;

public sealed class CatalogImportsTests : PortalBunitContext
{
    private FakeImportStore Store => Imports;

    public CatalogImportsTests()
    {
    }

    private async Task<IRenderedComponent<CatalogImports>> Upload(string content, string fileName = "team.json")
    {
        var cut = Render<CatalogImports>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(content, fileName));
        await cut.ClickAsync("button", b => b.TextContent.Contains("Import", StringComparison.Ordinal) && !b.TextContent.Contains("Remove", StringComparison.Ordinal));
        return cut;
    }

    [Fact]
    public async Task Import_MalformedFile_ListsEveryProblemAndStoresNothing()
    {
        var cut = await Upload("""{"models": [{"id": "a", "context_window_tokens": -5}, {"display_name": "no id"}]}""");

        cut.WaitForAssertion(() => Assert.Contains("Not imported: 2 problems found. Nothing was changed.", cut.Find(".imports-errors [role=alert]").TextContent, StringComparison.Ordinal));
        var paths = cut.FindAll(".imports-errors tbody tr td:first-child").Select(td => td.TextContent).ToList();
        Assert.Equal(["$.models[0].context_window_tokens", "$.models[1].id"], paths);
        Assert.Empty(Store.Rows);
        Assert.Null(Services.GetRequiredService<ICatalogService>().Current.Find("a"));
    }

    [Fact]
    public async Task Import_NotJson_SaysWhere()
    {
        var cut = await Upload("models: [oops");

        cut.WaitForAssertion(() => Assert.Contains("Not valid JSON (line 1", cut.Find(".imports-errors").TextContent, StringComparison.Ordinal));
        Assert.Empty(Store.Rows);
    }

    [Fact]
    public async Task Import_ValidFile_AddsTheModelsAndListsTheVersion()
    {
        var cut = await Upload("""{"models": [{"id": "team-model", "display_name": "Team Model", "publisher": "Contoso"}]}""");

        cut.WaitForAssertion(() => Assert.Contains("Imported 'team' v1: 1 model(s) added", cut.Find("[role=status]").TextContent, StringComparison.Ordinal));
        Assert.Single(Store.Rows);
        Assert.Equal("Team Model", Services.GetRequiredService<ICatalogService>().Current.Find("team-model")?.DisplayName);
        Assert.Contains("In the catalog", cut.Find("table[aria-label='Imported catalogs']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_StoreDown_SaysNothingChanged()
    {
        Store.FailWrites = true;

        var cut = await Upload("""{"models": [{"id": "team-model"}]}""");

        cut.WaitForAssertion(() => Assert.Contains("could not be saved; nothing was changed", cut.Find(".imports-errors").TextContent, StringComparison.Ordinal));
        Assert.Null(Services.GetRequiredService<ICatalogService>().Current.Find("team-model"));
    }
}
