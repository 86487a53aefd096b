using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>A fresh browser context per test, with every console error and page error collected.</summary>
public abstract class PortalPageTest(PortalServerFixture server) : IAsyncLifetime
{
    private IBrowserContext? _context;

    protected PortalServerFixture Server { get; } = server;

    protected IPage Page { get; private set; } = default!;

    protected List<string> BrowserErrors { get; } = [];

    public async Task InitializeAsync()
    {
        _context = await Server.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.BaseUrl });
        _context.SetDefaultTimeout(15_000);
        Page = await _context.NewPageAsync();
        Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                BrowserErrors.Add($"console: {message.Text}");
            }
        };
        Page.PageError += (_, error) => BrowserErrors.Add($"page error: {error}");
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }
    }

    /// <summary>Opens a page and waits until the Blazor circuit has connected and rendered interactively.</summary>
    protected async Task OpenInteractiveAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForCircuitAsync();
    }

    /// <summary>Chooses files in the page's last file input, once Blazor listens on it.</summary>
    protected async Task ChooseFilesAsync(params FilePayload[] files)
    {
        await WaitForFileInputAsync();
        await Page.Locator("input[type=file]").Last.SetInputFilesAsync(files);
    }

    /// <summary>Chooses a file from disk in the page's last file input, once Blazor listens on it.</summary>
    protected async Task ChooseFileAsync(string path)
    {
        await WaitForFileInputAsync();
        await Page.Locator("input[type=file]").Last.SetInputFilesAsync(path);
    }

    /// <summary>
    /// Blazor's InputFile listens for a file after its first interactive render; a file chosen before that is lost. A
    /// person is never that fast; a test waits for it.
    /// </summary>
    protected Task WaitForFileInputAsync() =>
        Page.WaitForFunctionAsync("() => [...document.querySelectorAll('input[type=file]')].pop()?._blazorInputFileNextFileId !== undefined");

    protected Task WaitForCircuitAsync() =>
        Assertions.Expect(Page.Locator("main[data-circuit]")).ToHaveAttributeAsync("data-circuit", "interactive");

    /// <summary>
    /// Photographs the page as it is now (in screenshots/, named <paramref name="name"/>) and runs axe-core's WCAG 2 A/AA
    /// rules on it: no critical or serious violation.
    /// </summary>
    protected async Task AssertAccessibleAsync(string name)
    {
        Directory.CreateDirectory(AccessibilityTests.ScreenshotFolder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(AccessibilityTests.ScreenshotFolder, $"{name}.png"), FullPage = true });
        var result = await Page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        var serious = result.Violations.Where(v => v.Impact is "critical" or "serious").ToList();

        Assert.NotEmpty(result.Passes);
        Assert.True(serious.Count == 0, name + ": " + string.Join("\n", serious.Select(v => $"{v.Id} ({v.Impact}): {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}
