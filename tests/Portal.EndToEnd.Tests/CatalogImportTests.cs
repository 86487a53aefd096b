using System.Text;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

[Collection(WritablePortalServerGroup.Name)]
public sealed class CatalogImportTests(WritablePortalServerFixture server) : PortalPageTest(server)
{
    private ILocator Total => Page.GetByTestId("catalog-total");

    [Fact]
    public async Task Import_MalformedFileChangesNothingAndValidFileAddsFindableModels()
    {
        await OpenInteractiveAsync("settings/catalog-imports");

        await WaitForFileInputAsync();

        await ChooseFileAsync(new FilePayload
        {
            Name = "broken.json",
            MimeType = "application/json",
            Buffer = Encoding.UTF8.GetBytes("""{"models": [{"id": "e2e-broken", "context_window_tokens": "big"}]}"""),
        });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not imported: 1 problem found. Nothing was changed.");
        await Assertions.Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Problems in the file" })).ToContainTextAsync("$.models[0].context_window_tokens");
        var api = await Page.Context.APIRequest.GetAsync(Server.BaseUrl + "api/models/e2e-broken");
        Assert.Equal(404, api.Status);

        var example = await File.ReadAllBytesAsync(Path.Combine(PortalServerFixture.RepositoryRoot, "src", "Portal.Catalog", "Facts", "example-import.json"));
        await ChooseFileAsync(new FilePayload { Name = "example-import.json", MimeType = "application/json", Buffer = example });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Imported 'example-import' v1: 1 model(s)");

        await Page.GotoAsync("models?q=contoso");
        await WaitForCircuitAsync();
        await Assertions.Expect(Total).ToHaveTextAsync("1 model");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Contoso Chat 7B" }).ClickAsync();
        await Assertions.Expect(Page.Locator("tr[data-fact='License'] .model-fact-value")).ToHaveTextAsync("Apache 2.0");
        await Assertions.Expect(Page.GetByText("Import 'example-import' v1 (example-import.json)")).ToBeVisibleAsync();

        // Leave the shared server as it was: remove the import again, through the page.
        await Page.GotoAsync("settings/catalog-imports");
        await WaitForCircuitAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Remove example-import v1" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Removed 'example-import' v1.");
        Assert.Equal(404, (await Page.Context.APIRequest.GetAsync(Server.BaseUrl + "api/models/contoso-chat-7b")).Status);
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task AChosenFile_InTheDarkTheme_IsNamedOnceAndHasNoSeriousViolations()
    {
        await Page.Context.AddCookiesAsync([new Cookie { Name = "portal-theme", Value = "dark", Url = Server.BaseUrl }]);
        await OpenInteractiveAsync("settings/catalog-imports");
        await WaitForFileInputAsync();
        await ChooseFileAsync(new FilePayload { Name = "team-models.json", MimeType = "application/json", Buffer = Encoding.UTF8.GetBytes("""{"models": []}""") });

        await Assertions.Expect(Page.GetByText("team-models.json")).ToHaveCountAsync(1);
        await AssertAccessibleAsync("settings-catalog-imports-chosen-dark");
        Assert.Empty(BrowserErrors);
    }

    /// <summary>Chooses a file as a person does: the "Choose a catalog file" button opens the browser's file chooser.</summary>
    private async Task ChooseFileAsync(FilePayload file)
    {
        var chooser = await Page.RunAndWaitForFileChooserAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = "Choose a catalog file" }).ClickAsync());
        await chooser.SetFilesAsync(file);
        await Assertions.Expect(Page.GetByTestId("chosen-file")).ToContainTextAsync(file.Name);
    }
}
