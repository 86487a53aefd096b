using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Portal.Web;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The real portal on Kestrel at http://127.0.0.1:0 (started in-process, store in a temp folder) and a headless
/// Debian Chromium driven by Playwright. Set PORTAL_CHROMIUM to use another Chromium binary.
/// </summary>
public class PortalServerFixture : IAsyncLifetime
{
    private readonly string _storeFolder = Path.Combine(Path.GetTempPath(), "portal-e2e-" + Guid.NewGuid().ToString("N")[..10]);
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Everything the portal logged, for assertions that secrets or exceptions do not leak.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    public static string ChromiumPath => Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium not found at {ChromiumPath}. Install it with 'apt-get install -y chromium' (the README test command does) or set PORTAL_CHROMIUM.");
        }

        _app = PortalWebApplication.Create(
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Development",
            $"--contentRoot={Path.Combine(RepositoryRoot, "src", "Portal.Web")}",
            $"--Portal:Storage:SqlitePath={Path.Combine(_storeFolder, "portal.db")}",
        ],
        builder => builder.Logging.AddProvider(new CapturingLoggerProvider(Logs)));
        await _app.StartAsync();
        BaseUrl = _app.Urls.Single().TrimEnd('/') + "/";

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Directory.Exists(_storeFolder))
        {
            Directory.Delete(_storeFolder, recursive: true);
        }
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class PortalServerGroup : ICollectionFixture<PortalServerFixture>
{
    public const string Name = "Portal server";
}

/// <summary>A server of its own, for tests that change the catalog (imports), so no other test sees their changes.</summary>
public sealed class WritablePortalServerFixture : PortalServerFixture;

[CollectionDefinition(Name)]
public sealed class WritablePortalServerGroup : ICollectionFixture<WritablePortalServerFixture>
{
    public const string Name = "Portal server for catalog changes";
}

internal sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, sink);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
