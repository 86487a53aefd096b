using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Portal.Benchmarks.Load;

namespace Portal.Benchmarks;

/// <summary>
/// The load harness: holds N live Blazor Server circuits on <c>/models</c> against the portal started as in production
/// (<see cref="PortalProcess"/>: Release build, Production, SQLite) with <see cref="BlazorCircuitClient"/>, a client
/// that speaks the circuit protocol over SignalR (no browser). For each N, on a fresh server: memory per circuit (GC heap
/// after a forced full collection and VmRSS, each minus the same server's figure with no circuit, divided by N) and the
/// filter-click round trip: a change event on a facet checkbox (found by its accessible name, "Label, N models") until
/// the render batch that carries the new result count. Sizes: numbers, and <c>max</c>, which goes on adding circuits to
/// the largest N's server, 500 at a time, until its RSS passes the limit, a circuit fails or the time budget is spent. Run it with
/// <c>-- --circuits [100 1000 max]</c>; exit 1 (via <see cref="BenchmarkFailedException"/>) when a circuit fails to start,
/// a click gets no update or the server dies while measuring a fixed N.
/// </summary>
public static partial class CircuitsMeasurement
{
    public const int MeasuredClicks = 200;
    public const int WarmupClicks = 20;
    public const int StartConcurrency = 8;
    public const int MaxStep = 500;
    public const long TargetHeapPerCircuit = 250 * 1024;
    public const double TargetClickP95Ms = 100;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(IReadOnlyList<string> sizes, TimeSpan budget, long maxRssBytes)
    {
        var clock = Stopwatch.StartNew();
        var rows = new List<string>();
        Console.WriteLine($"Load harness: the portal as a separate process (Release build of src/Portal.Web, Production, SQLite in a temp folder), circuits held by a SignalR client speaking Blazor's circuit protocol (blazorpack), {Environment.ProcessorCount} cores.");
        var fixedSizes = new List<int>();
        foreach (var size in sizes.Where(s => s != "max"))
        {
            fixedSizes.Add(int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new BenchmarkFailedException($"'{size}' is not a number of circuits or 'max'."));
        }

        fixedSizes.Sort();
        Session? last = null;
        try
        {
            foreach (var n in fixedSizes)
            {
                // A fresh server for each N: nothing left from the smaller run (disconnected circuits are retained a while).
                if (last is not null)
                {
                    await last.DisposeAsync();
                }

                last = await Session.StartAsync();
                var sw = Stopwatch.StartNew();
                await last.OpenAsync(n, failFast: true, deadline: null);
                rows.Add(await last.MeasureAsync(sw.Elapsed, MeasuredClicks));
            }

            if (sizes.Contains("max"))
            {
                // Grows the last server (or a fresh one) until a limit, the budget counted from here; reaching one is the
                // result, not a failure.
                last ??= await Session.StartAsync();
                rows.AddRange(await GrowAsync(last, budget, maxRssBytes));
            }
        }
        finally
        {
            if (last is not null)
            {
                await last.DisposeAsync();
            }
        }

        Console.WriteLine();
        Console.WriteLine("| circuits | started in | GC heap per circuit | RSS per circuit | filter click p50 | filter click p95 | clicks |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine($"Targets: GC heap per circuit ≤ {TargetHeapPerCircuit / 1024} KB; click p95 ≤ {TargetClickP95Ms} ms with 1,000 circuits open. Total time {clock.Elapsed.TotalSeconds:0} s.");
        return 0;
    }

    /// <summary>Adds circuits <see cref="MaxStep"/> at a time until the time is spent, the server's RSS passes the limit or a circuit fails.</summary>
    private static async Task<List<string>> GrowAsync(Session session, TimeSpan budget, long maxRssBytes)
    {
        var rows = new List<string>();
        var deadline = Stopwatch.StartNew();
        string reason;
        while (true)
        {
            if (deadline.Elapsed > budget)
            {
                reason = $"the time budget was spent";
                break;
            }

            if (session.Portal.ResidentSetBytes() > maxRssBytes)
            {
                reason = $"the server's RSS passed {maxRssBytes / (1024 * 1024):N0} MB";
                break;
            }

            var sw = Stopwatch.StartNew();
            var failure = await session.OpenAsync(MaxStep, failFast: false, deadline: () => deadline.Elapsed > budget);
            if (failure is not null)
            {
                reason = $"a circuit failed beyond {session.Count:N0}: {failure}";
                break;
            }

            try
            {
                rows.Add(await session.MeasureAsync(sw.Elapsed, 50, "max: "));
            }
            catch (Exception ex) when (ex is BenchmarkFailedException or InvalidOperationException or TimeoutException or HttpRequestException)
            {
                // Past what the machine holds: a circuit dropped (keep-alives starved), a click timed out, the server died.
                reason = $"measuring {session.Count:N0} circuits failed: {ex.Message}";
                break;
            }
        }

        Console.WriteLine($"max: stopped at {session.Count:N0} circuits because {reason}.");
        return rows;
    }

    private static string Kb(double bytes) => (bytes / 1024).ToString("N0", CultureInfo.InvariantCulture) + " KB";

    private static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>The facet value the clicks toggle: the first whose count differs from the total, from the prerendered page.</summary>
    private sealed record FacetTarget(string Label, int Count, int Total)
    {
        public static FacetTarget FromPage(string html)
        {
            var total = TotalText().Match(html);
            if (!total.Success)
            {
                throw new BenchmarkFailedException("The prerendered /models has no result count (data-testid=\"catalog-total\" with \"N models\").");
            }

            var all = int.Parse(total.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            foreach (Match m in FacetLabel().Matches(html))
            {
                var count = int.Parse(m.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                if (count > 0 && count < all)
                {
                    return new FacetTarget(WebUtility.HtmlDecode(m.Groups[1].Value), count, all);
                }
            }

            throw new BenchmarkFailedException("The prerendered /models has no facet checkbox named \"Label, N models\" (aria-label or labelled-by text) with fewer models than the total.");
        }

        public bool IsCheckbox(string ariaLabel) => ariaLabel.StartsWith(Label + ", ", StringComparison.Ordinal);
    }

    private sealed class Held(BlazorCircuitClient client, ulong handler)
    {
        public BlazorCircuitClient Client { get; } = client;

        public ulong Handler { get; set; } = handler;

        public bool Checked { get; set; }
    }

    private sealed class Session : IAsyncDisposable
    {
        private readonly List<Held> _held = [];
        private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(60) };
        private FacetTarget _target = default!;
        private (long Heap, long Rss) _baseline;
        private int _nextClick;

        public PortalProcess Portal { get; private set; } = default!;

        public int Count => _held.Count;

        public static async Task<Session> StartAsync()
        {
            var session = new Session { Portal = await PortalProcess.StartAsync() };
            try
            {
                var page = await session._http.GetStringAsync(new Uri(session.Portal.BaseUri, "models"));
                session._target = FacetTarget.FromPage(page);
                // Warm-up: the first circuits and clicks compile the code paths; they are ended as a closing tab ends them.
                await session.OpenAsync(3, failFast: true, deadline: null);
                for (var i = 0; i < WarmupClicks; i++)
                {
                    await session.ClickAsync(session._held[i % 3]);
                }

                foreach (var held in session._held)
                {
                    await held.Client.DisposeAsync();
                    if (!held.Client.Ended)
                    {
                        throw new BenchmarkFailedException("The portal refused to end a warm-up circuit (POST /_blazor/disconnect); it would count in the baseline.");
                    }
                }

                session._held.Clear();
                await Task.Delay(TimeSpan.FromSeconds(1));
                session._baseline = await session.Portal.MeasureMemoryAsync(session._http);
                return session;
            }
            catch
            {
                await session.DisposeAsync();
                throw;
            }
        }

        /// <summary>Opens <paramref name="n"/> more circuits; returns the failure instead of throwing unless <paramref name="failFast"/>.</summary>
        public async Task<string?> OpenAsync(int n, bool failFast, Func<bool>? deadline)
        {
            var opened = new Held?[n];
            string? failure = null;
            await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = StartConcurrency }, async (i, _) =>
            {
                if (failure is not null || deadline?.Invoke() == true)
                {
                    return;
                }

                ulong handler = 0;
                try
                {
                    var client = await BlazorCircuitClient.StartAsync(_http, Portal.BaseUri, new Uri(Portal.BaseUri, "models"), batch =>
                    {
                        handler = batch.FindHandler("input", _target.IsCheckbox, "onchange") ?? 0;
                        return handler != 0;
                    }, Timeout);
                    opened[i] = new Held(client, handler);
                }
                catch (Exception ex)
                {
                    failure ??= $"{ex.GetType().Name}: {ex.Message}";
                }
            });
            _held.AddRange(opened.OfType<Held>());
            if (Portal.HasExited)
            {
                throw new BenchmarkFailedException($"The portal died with {_held.Count} circuits open:{Environment.NewLine}{Portal.Tail()}");
            }

            return failure is not null && failFast
                ? throw new BenchmarkFailedException($"A circuit failed to start ({_held.Count} of {n} open): {failure}{Environment.NewLine}{Portal.Tail()}")
                : failure;
        }

        /// <summary>Memory now against the baseline, then <paramref name="clicks"/> round trips one after another over the circuits.</summary>
        public async Task<string> MeasureAsync(TimeSpan started, int clicks, string prefix = "")
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var (heap, rss) = await Portal.MeasureMemoryAsync(_http);
            var times = new List<double>();
            for (var i = 0; i < clicks; i++)
            {
                // Spread over the circuits; each one alternates checking and unchecking the value.
                var held = _held[(int)((long)_nextClick++ * 7919 % _held.Count)];
                times.Add(await ClickAsync(held));
            }

            if (Portal.HasExited)
            {
                throw new BenchmarkFailedException("The portal died while measuring:" + Environment.NewLine + Portal.Tail());
            }

            var n = _held.Count;
            var row = $"| {prefix}{n:N0} | {started.TotalSeconds:0.0} s | {Kb((heap - _baseline.Heap) / (double)n)} | {Kb((rss - _baseline.Rss) / (double)n)} | {Ms(Percentile(times, 0.5))} | {Ms(Percentile(times, 0.95))} | {clicks} |";
            Console.WriteLine($"{n:N0} circuits: GC heap {heap / 1048576.0:0.0} MB (no circuit: {_baseline.Heap / 1048576.0:0.0} MB), RSS {rss / 1048576.0:0.0} MB (no circuit: {_baseline.Rss / 1048576.0:0.0} MB); {row}");
            return row;
        }

        /// <summary>One filter click: the change event on the checkbox until the render batch with the new result count.</summary>
        public async Task<double> ClickAsync(Held held)
        {
            var expected = (held.Checked ? _target.Total : _target.Count).ToString("N0", CultureInfo.InvariantCulture);
            var update = held.Client.WaitForBatchAsync(batch => batch.HasText(expected), Timeout);
            var sw = Stopwatch.StartNew();
            await held.Client.DispatchEventAsync(held.Handler, "change", new { value = !held.Checked });
            RenderBatchData batch;
            try
            {
                batch = await update;
            }
            catch (TimeoutException)
            {
                throw new BenchmarkFailedException($"A filter click on \"{_target.Label}\" got no render batch with the count {expected} within {Timeout.TotalSeconds} s (circuit at {held.Client.Location}).");
            }

            var elapsed = sw.Elapsed.TotalMilliseconds;
            held.Checked = !held.Checked;
            // The checkbox keeps its handler unless the batch replaced it.
            if (batch.FindHandler("input", _target.IsCheckbox, "onchange") is { } replaced)
            {
                held.Handler = replaced;
            }
            else if (batch.DisposedEventHandlerIds.Contains(held.Handler))
            {
                throw new BenchmarkFailedException($"The click's render batch disposed the checkbox's handler without rendering a new one; the harness cannot follow it.");
            }

            return elapsed;
        }

        public async ValueTask DisposeAsync()
        {
            await Task.WhenAll(_held.Select(h => h.Client.DisposeAsync().AsTask()));
            _held.Clear();
            if (Portal is not null)
            {
                await Portal.DisposeAsync();
            }

            _http.Dispose();
        }
    }

    // Nearest rank, as the portal's evaluations compute it.
    private static double Percentile(List<double> values, double p) =>
        Portal.Web.Evaluations.EvaluationStatistics.Percentile(values, p * 100) ?? throw new BenchmarkFailedException("No values to take a percentile of.");

    [GeneratedRegex(@"data-testid=""catalog-total""[^>]*>\s*([\d,]+)\s+models?\b")]
    private static partial Regex TotalText();

    /// <summary>A facet checkbox's accessible name, "Label, N models", in an aria-label or in the text it is labelled by.</summary>
    [GeneratedRegex(@"(?:aria-label=""|>\s*)([^""<>]+?), ([\d,]+) models?\s*[""<]")]
    private static partial Regex FacetLabel();
}

/// <summary>A measurement that cannot be made: Program prints <c>!!! BENCHMARK FAILED</c> with the message and exits 1.</summary>
public sealed class BenchmarkFailedException(string message) : Exception(message);
