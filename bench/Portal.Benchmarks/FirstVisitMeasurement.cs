using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Portal.Benchmarks.Load;

namespace Portal.Benchmarks;

/// <summary>
/// A first visit to <c>/models</c> as a person makes it: the portal published (<c>dotnet publish -c Release</c> of the
/// current build) and started from the publish folder in Production, a fresh Chromium context each time (empty cache),
/// the Chrome DevTools Protocol counting the bytes each response took on the wire (<c>encodedDataLength</c>, headers
/// included) and the requests per address. "Interactive" is when the page's circuit is up: the layout's
/// <c>main[data-circuit]</c> turns from <c>prerendered</c> to <c>interactive</c>, noted in the page against navigation
/// start. Baseline in the same run: the same browser loading the portal's <c>/healthz</c> as a document (the floor of a
/// navigation on this machine). Run with <c>-- --first-visit</c>; exits 1 when a visit fails.
/// </summary>
public static class FirstVisitMeasurement
{
    private const int Visits = 7;

    // Runs before the page's scripts: the time (ms since navigation start) the circuit made the page interactive.
    private const string InteractiveProbe = """
        window.__interactiveAt = null;
        new MutationObserver(() => {
          const main = document.querySelector('main[data-circuit]');
          if (window.__interactiveAt === null && main && main.getAttribute('data-circuit') === 'interactive') {
            window.__interactiveAt = performance.now();
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-circuit'], childList: true });
        """;

    public static async Task<int> RunAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new BenchmarkFailedException($"Chromium not found at {chromium}: apt-get install -y chromium (or set PORTAL_CHROMIUM).");
        }

        var publish = Path.Combine(Path.GetTempPath(), "portal-first-visit-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await PublishAsync(publish);
            await using var portal = await PortalProcess.StartFromAsync(publish, "Production");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
            });

            Console.WriteLine($"First visit to /models: the published portal in Production on loopback, headless Chromium ({chromium}), an empty cache each visit; {Visits} visits after one warm-up, interleaved with the baseline.");
            await VisitAsync(browser, portal.BaseUri, "models", waitInteractive: true); // warm-up (JIT, first store reads)
            var visits = new List<Visit>();
            var baselines = new List<Visit>();
            for (var i = 0; i < Visits; i++)
            {
                baselines.Add(await VisitAsync(browser, portal.BaseUri, "healthz", waitInteractive: false));
                visits.Add(await VisitAsync(browser, portal.BaseUri, "models", waitInteractive: true));
            }

            var last = visits[^1];
            Console.WriteLine();
            Console.WriteLine("| what was fetched (last visit) | requests | bytes on the wire |");
            Console.WriteLine("| --- | ---: | ---: |");
            foreach (var group in last.Responses.GroupBy(r => Kind(r.Url, r.MimeType)).OrderByDescending(g => g.Sum(r => r.Bytes)))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {group.Key} | {group.Count()} | {group.Sum(r => r.Bytes):N0} |"));
            }

            var repeated = last.Responses.Where(r => r.Bytes > 0).GroupBy(r => r.Url).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToList();
            Console.WriteLine();
            Console.WriteLine("| visit | transferred | requests | fetched twice | DOMContentLoaded | interactive |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            Console.WriteLine(Row("`/healthz` as a document (baseline), median", baselines));
            Console.WriteLine(Row("`/models`, median", visits));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"interactive p95 (nearest rank of {Visits}): {Percentile(visits.Select(v => v.InteractiveMs!.Value), 0.95):0} ms; fetched twice: {(repeated.Count == 0 ? "none" : string.Join(", ", repeated))}"));
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(publish, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private sealed record Response(string Url, string MimeType, long Bytes);

    private sealed record Visit(long Bytes, int Requests, int FetchedTwice, double DomContentLoadedMs, double? InteractiveMs, List<Response> Responses);

    private static async Task<Visit> VisitAsync(IBrowser browser, Uri baseUri, string address, bool waitInteractive)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUri.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.AddInitScriptAsync(InteractiveProbe);
        var cdp = await context.NewCDPSessionAsync(page);
        var urls = new ConcurrentDictionary<string, (string Url, string Mime)>();
        var responses = new ConcurrentBag<Response>();
        cdp.Event("Network.responseReceived").OnEvent += (_, e) =>
        {
            var response = e!.Value.GetProperty("response");
            urls[e.Value.GetProperty("requestId").GetString()!] = (response.GetProperty("url").GetString()!, response.GetProperty("mimeType").GetString() ?? "");
        };
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
        {
            var id = e!.Value.GetProperty("requestId").GetString()!;
            if (urls.TryGetValue(id, out var r))
            {
                responses.Add(new Response(r.Url, r.Mime, (long)e.Value.GetProperty("encodedDataLength").GetDouble()));
            }
        };
        await cdp.SendAsync("Network.enable");

        var response = await page.GotoAsync(address, new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        if (response is not { Ok: true })
        {
            throw new BenchmarkFailedException($"/{address} answered {response?.Status}.");
        }

        double? interactive = null;
        if (waitInteractive)
        {
            await page.WaitForFunctionAsync("() => window.__interactiveAt !== null", null, new() { PollingInterval = 10 });
            interactive = await page.EvaluateAsync<double>("() => window.__interactiveAt");
            // The circuit really answers: the count changes when a filter is ticked.
            var before = await page.GetByText(new System.Text.RegularExpressions.Regex(@"^\d+ models?$")).First.TextContentAsync();
            await page.GetByRole(AriaRole.Checkbox).First.CheckAsync();
            await page.WaitForFunctionAsync("t => [...document.querySelectorAll('*')].some(e => e.childElementCount === 0 && /^\\d+ models?$/.test(e.textContent.trim()) && e.textContent.trim() !== t)", before?.Trim());
        }

        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var domContentLoaded = await page.EvaluateAsync<double>("() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd");
        var list = responses.ToList();
        var twice = list.Where(r => r.Bytes > 0).GroupBy(r => r.Url).Count(g => g.Count() > 1);
        return new Visit(list.Sum(r => r.Bytes), list.Count, twice, domContentLoaded, interactive, list);
    }

    private static async Task PublishAsync(string folder)
    {
        var project = Path.Combine(PortalProcess.RepositoryRoot(), "src", "Portal.Web", "Portal.Web.csproj");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["publish", project, "-c", "Release", "--no-build", "-o", folder])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new BenchmarkFailedException($"dotnet publish failed ({process.ExitCode}): {await output}{await errors}");
        }
    }

    private static string Kind(string url, string mime) =>
        url.Contains("/_blazor", StringComparison.Ordinal) ? "circuit negotiation" :
        mime.Contains("html", StringComparison.Ordinal) ? "HTML" :
        mime.Contains("css", StringComparison.Ordinal) ? "CSS" :
        mime.Contains("javascript", StringComparison.Ordinal) ? "JavaScript" :
        mime.Contains("font", StringComparison.Ordinal) ? "fonts" :
        mime.StartsWith("image/", StringComparison.Ordinal) ? "images" : mime.Length == 0 ? "other" : mime;

    private static string Row(string name, List<Visit> visits) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Median(visits.Select(v => (double)v.Bytes)):N0} B | {Median(visits.Select(v => (double)v.Requests)):0} | {visits.Max(v => v.FetchedTwice)} | {Median(visits.Select(v => v.DomContentLoadedMs)):0} ms | {(visits[0].InteractiveMs is null ? "—" : Median(visits.Select(v => v.InteractiveMs!.Value)).ToString("0", CultureInfo.InvariantCulture) + " ms")} |");

    private static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    // Nearest rank, as the portal's evaluations compute it.
    private static double Percentile(IEnumerable<double> values, double p) =>
        Portal.Web.Evaluations.EvaluationStatistics.Percentile([.. values], p * 100) ?? throw new BenchmarkFailedException("No values to take a percentile of.");
}
