using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Portal.Benchmarks.Load;

namespace Portal.Benchmarks;

/// <summary>
/// Prerender throughput: <c>wrk</c> with 100 connections against <c>/models</c> and <c>/healthz</c> of the portal started
/// as in production (<see cref="PortalProcess"/>), alternating (page, health, page, health) so both see the same machine;
/// reports requests/s and p50/p95/p99 (from wrk's latency histogram, written by a Lua <c>done</c> hook) and the ratio
/// of the page's p95 to the health endpoint's. Requests carry <c>Accept-Encoding: gzip, deflate, br</c> as a browser's
/// do. Checks first that /models is a real prerender (200 with the result count). Exit 1 when wrk is missing, a request
/// fails (non-2xx, socket error, timeout) or the portal dies. Run it with <c>-- --prerender [--seconds 15]</c>.
/// </summary>
public static partial class PrerenderMeasurement
{
    public const int Connections = 100;
    public const double TargetP95Ms = 30;
    public const double TargetRatio = 3;
    private static readonly string[] WrkPaths = ["/usr/bin/wrk", "/usr/local/bin/wrk"];

    private const string DoneHook = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
            latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
            e.status, e.connect + e.read + e.write, e.timeout))
        end
        """;

    public static async Task<int> RunAsync(TimeSpan duration)
    {
        var wrk = WrkPaths.FirstOrDefault(File.Exists)
            ?? throw new BenchmarkFailedException("wrk is not installed: apt-get install -y wrk (Debian package 'wrk').");
        var script = Path.Combine(Path.GetTempPath(), $"portal-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, DoneHook);
        try
        {
            await using var portal = await PortalProcess.StartAsync();
            var page = new Uri(portal.BaseUri, "models");
            var health = new Uri(portal.BaseUri, "healthz");
            using (var http = new HttpClient())
            {
                using var response = await http.GetAsync(page);
                var html = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK || !ResultCount().IsMatch(html))
                {
                    throw new BenchmarkFailedException($"GET /models answered {(int)response.StatusCode} without the result count (data-testid=\"catalog-total\"): not a real prerender.");
                }
            }

            Console.WriteLine($"wrk, {Connections} connections, {Environment.ProcessorCount} threads, {duration.TotalSeconds:0} s per run, page and /healthz alternating twice (after a warm-up of each); the portal as a separate process (Release build, Production, SQLite).");
            // Warm-up (not counted, errors tolerated): a cold server under 100 connections answers slowly at first.
            await RunWrkAsync(wrk, script, page, TimeSpan.FromSeconds(10), portal, warmup: true);
            await RunWrkAsync(wrk, script, health, TimeSpan.FromSeconds(5), portal, warmup: true);
            var pageRuns = new List<WrkResult>();
            var healthRuns = new List<WrkResult>();
            for (var round = 0; round < 2; round++)
            {
                pageRuns.Add(await RunWrkAsync(wrk, script, page, duration, portal));
                healthRuns.Add(await RunWrkAsync(wrk, script, health, duration, portal));
            }

            var pageResult = WrkResult.Combine(pageRuns);
            var healthResult = WrkResult.Combine(healthRuns);
            Console.WriteLine("| target | requests/s | p50 | p95 | p99 | requests |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            Console.WriteLine(pageResult.Row("/models (prerendered page)"));
            Console.WriteLine(healthResult.Row("/healthz (baseline)"));
            var ratio = pageResult.P95Ms / healthResult.P95Ms;
            Console.WriteLine($"Page p95 / health p95: {ratio.ToString("0.0", CultureInfo.InvariantCulture)}× (target ≤ {TargetRatio}×); page p95 {pageResult.P95Ms.ToString("0.0", CultureInfo.InvariantCulture)} ms (target ≤ {TargetP95Ms} ms): {(ratio <= TargetRatio && pageResult.P95Ms <= TargetP95Ms ? "targets met" : "target MISSED")}.");
            return 0;
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<WrkResult> RunWrkAsync(string wrk, string script, Uri target, TimeSpan duration, PortalProcess portal, bool warmup = false)
    {
        var start = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-t", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), "-c", Connections.ToString(CultureInfo.InvariantCulture),
                     "-d", $"{duration.TotalSeconds:0}s", "--timeout", "10s", "-H", "Accept-Encoding: gzip, deflate, br", "-s", script, target.ToString()])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new BenchmarkFailedException("wrk did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output;
        if (portal.HasExited)
        {
            throw new BenchmarkFailedException("The portal died under load:" + Environment.NewLine + portal.Tail());
        }

        await WaitUntilIdleAsync(portal);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            throw new BenchmarkFailedException($"wrk exited {process.ExitCode} without a result:{Environment.NewLine}{text}{await error}");
        }

        var f = line.Split(' ').Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var result = new WrkResult(f[0], f[1] / 1e6, f[2] / 1e3, f[3] / 1e3, f[4] / 1e3);
        if (warmup)
        {
            return result;
        }

        if (f[6] + f[7] + f[8] > 0)
        {
            throw new BenchmarkFailedException($"{target}: {f[6]} non-2xx/3xx answers, {f[7]} socket errors, {f[8]} timeouts out of {f[0]} requests.");
        }

        if (result.Requests == 0)
        {
            throw new BenchmarkFailedException($"{target}: no request completed in {duration.TotalSeconds:0} s.");
        }

        Console.WriteLine($"  {target.AbsolutePath}: {result.Requests / result.Seconds:0} req/s, p50 {result.P50Ms:0.0} ms, p95 {result.P95Ms:0.0} ms, p99 {result.P99Ms:0.0} ms");
        return result;
    }

    /// <summary>
    /// Waits until the portal has worked off what wrk left queued (it stops its connections, not the server's work):
    /// three /healthz answers in a row within 20 ms, at most 60 s; else the next run would measure the last one's tail.
    /// </summary>
    private static async Task WaitUntilIdleAsync(PortalProcess portal)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var deadline = Stopwatch.StartNew();
        for (var quick = 0; quick < 3 && deadline.Elapsed < TimeSpan.FromSeconds(60);)
        {
            var sw = Stopwatch.StartNew();
            using var response = await http.GetAsync(new Uri(portal.BaseUri, "healthz"));
            quick = sw.ElapsedMilliseconds <= 20 ? quick + 1 : 0;
            await Task.Delay(100);
        }
    }

    private sealed record WrkResult(long Requests, double Seconds, double P50Ms, double P95Ms, double P99Ms)
    {
        /// <summary>Runs of equal length: summed requests and time; the percentiles of the worse run (wrk keeps no histogram across runs).</summary>
        public static WrkResult Combine(List<WrkResult> runs) =>
            new(runs.Sum(r => r.Requests), runs.Sum(r => r.Seconds), runs.Max(r => r.P50Ms), runs.Max(r => r.P95Ms), runs.Max(r => r.P99Ms));

        public string Row(string name) =>
            string.Create(CultureInfo.InvariantCulture, $"| {name} | {Requests / Seconds:N0} | {P50Ms:0.0} ms | {P95Ms:0.0} ms | {P99Ms:0.0} ms | {Requests:N0} |");
    }

    [GeneratedRegex(@"data-testid=""catalog-total""[^>]*>\s*[\d,]+\s+models?\b")]
    private static partial Regex ResultCount();
}
