using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

[Collection(PortalServerGroup.Name)]
public sealed partial class ShellTests(PortalServerFixture server) : PortalPageTest(server)
{
    [Fact]
    public async Task Home_Loads_CircuitConnectsWithoutBrowserErrors()
    {
        var response = await Page.GotoAsync("");

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        await WaitForCircuitAsync();
        await Assertions.Expect(Page).ToHaveTitleAsync("Home · Model Catalog Portal");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Model Catalog Portal", Level = 1 })).ToBeVisibleAsync();
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task NavLinks_Click_ChangePagesWithoutFullReload()
    {
        await OpenInteractiveAsync("");
        await Page.EvaluateAsync("() => { window.__portalSameDocument = 'yes'; }");

        (string Link, string Path, string Heading)[] entries =
        [
            ("Catalog", "models", "Model catalog"),
            ("Benchmarks", "benchmarks", "Benchmarks"),
            ("Playground", "playground", "Playground"),
            ("Deployments", "deployments", "Deployments"),
            ("Settings", "settings", "Settings"),
            ("Home", "", "Model Catalog Portal"),
        ];

        foreach (var (link, path, heading) in entries)
        {
            await Page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();

            await Assertions.Expect(Page).ToHaveURLAsync(new Regex("^" + Regex.Escape(Server.BaseUrl + path) + "$"));
            await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
            Assert.Equal("yes", await Page.EvaluateAsync<string?>("() => window.__portalSameDocument ?? null"));
        }

        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task ThemeMenu_ChooseDark_AppliesAtOnce_AndTheServerRendersItAfterAReload()
    {
        await OpenInteractiveAsync("");
        var background = "() => getComputedStyle(document.body).backgroundColor";
        Assert.Equal("rgb(246, 247, 249)", await Page.EvaluateAsync<string>(background));

        await Page.GetByRole(AriaRole.Button, new() { Name = "Theme: System" }).ClickAsync();
        await Page.GetByRole(AriaRole.Menuitemradio, new() { Name = "Dark" }).ClickAsync();

        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Theme: Dark" })).ToBeVisibleAsync();
        Assert.Equal("rgb(18, 19, 22)", await Page.EvaluateAsync<string>(background));
        for (var i = 0; i < 50 && !(await Page.Context.CookiesAsync()).Any(c => c is { Name: "portal-theme", Value: "dark" }); i++)
        {
            await Task.Delay(100);
        }

        // A full reload: the server reads the cookie, so the very first (prerendered) paint is dark.
        var html = await (await Page.Context.APIRequest.GetAsync(Server.BaseUrl)).TextAsync();
        Assert.Contains("--mud-palette-background: rgba(18,19,22,1)", html, StringComparison.Ordinal);
        await Page.ReloadAsync();
        await WaitForCircuitAsync();
        Assert.Equal("rgb(18, 19, 22)", await Page.EvaluateAsync<string>(background));
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task Theme_NoChoice_FollowsTheSystemSetting()
    {
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await OpenInteractiveAsync("");

        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Theme: System" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(18, 19, 22)");
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task SidebarToggle_Collapse_IsRememberedAcrossReload()
    {
        await OpenInteractiveAsync("settings");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Collapse navigation" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Expand navigation" })).ToBeVisibleAsync();
        await Page.ReloadAsync();
        await WaitForCircuitAsync();

        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Expand navigation" })).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Expand navigation" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Collapse navigation" })).ToBeVisibleAsync();
        Assert.Empty(BrowserErrors);
    }

    [Theory]
    [InlineData("no/such/page", "Page not found")]
    [InlineData("no-such-page", "Page not found")]
    [InlineData("models/unknown-id", "Model not found")]
    public async Task UnknownAddress_ShowsAStyledNotFoundPageWith404_AndNoErrors(string path, string heading)
    {
        var logLinesBefore = Server.Logs.Count;

        var response = await Page.GotoAsync(path);

        Assert.NotNull(response);
        Assert.Equal(404, response.Status);
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        // Give a circuit, if one starts, the time to fail as it used to ("error applying batch 2"), then check the page
        // is still styled: the theme's font, not the browser's default serif.
        await Page.WaitForTimeoutAsync(1_500);
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("body")).ToHaveCSSAsync("font-family", new Regex("Segoe UI"));
        Assert.True(await Page.EvaluateAsync<bool>("() => [...document.styleSheets].some(s => (s.href ?? '').includes('/css/portal.'))"));
        // Chromium reports the 404 document itself as a failed resource; nothing else may fail.
        Assert.DoesNotContain(BrowserErrors, e => !e.Contains("status of 404", StringComparison.Ordinal));
        Assert.DoesNotContain(Server.Logs.Skip(logLinesBefore), l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Settings_ShowsEmbeddedStoreReachable()
    {
        await OpenInteractiveAsync("settings");

        await Assertions.Expect(Page.GetByTestId("storage-provider")).ToHaveTextAsync("SQLite (embedded)");
        await Assertions.Expect(Page.GetByTestId("storage-status")).ToContainTextAsync("Reachable");
        Assert.Empty(BrowserErrors);
    }
}
