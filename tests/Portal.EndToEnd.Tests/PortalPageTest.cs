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

    protected Task WaitForCircuitAsync() =>
        Assertions.Expect(Page.Locator("main[data-circuit]")).ToHaveAttributeAsync("data-circuit", "interactive");
}
