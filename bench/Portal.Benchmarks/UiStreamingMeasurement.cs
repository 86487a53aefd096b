using System.Globalization;
using Microsoft.Playwright;
using Portal.Benchmarks.Load;
using Portal.TestPeers;

namespace Portal.Benchmarks;

/// <summary>
/// Streaming to the UI: a long answer (<c>peer-long-N</c> on the loopback peer: N numbered tokens, each stamped when
/// it left the peer) shown by the chat playground in a real Chromium (Debian's, through Playwright), a MutationObserver
/// in the page noting when each token first appears in the answer; against the same stream read by <c>fetch</c> in the
/// same browser and appended to a DOM node (the baseline: what the browser alone costs). Reports time from leaving the
/// peer to appearing, p50/p95/max, and the first 1,000 tokens against the last 1,000. The portal runs as a separate
/// process (<see cref="PortalProcess"/>, Development: the build's static web assets). Exit 1 when an answer does not
/// complete. Run it with <c>-- --ui-streaming [--tokens 10000]</c>.
/// </summary>
public static class UiStreamingMeasurement
{
    public static readonly TimeSpan TokenDelay = TimeSpan.FromMilliseconds(2);
    private const string ConnectionName = "bench-peer";

    /// <summary>
    /// Notes, for each token k (x{k}x), when it first appears in the last element matching the selector. Reads only
    /// the text each mutation added (new nodes, changed text), so its own cost does not grow with the answer.
    /// </summary>
    private const string Observer = """
        ([n, selector]) => {
          const seen = new Float64Array(n);
          let next = 1;
          window.__seenCount = 0;
          window.__seen = seen;
          const scan = (text, now) => {
            let pos = 0;
            while (next <= n) {
              const at = text.indexOf('x' + next + 'x', pos);
              if (at < 0) return;
              seen[next - 1] = now;
              pos = at;
              next++;
            }
          };
          new MutationObserver(records => {
            const now = performance.timeOrigin + performance.now();
            const answers = document.querySelectorAll(selector);
            if (answers.length === 0) return;
            const answer = answers[answers.length - 1];
            for (const record of records) {
              if (record.type === 'characterData') {
                if (answer.contains(record.target)) scan(record.target.data, now);
                continue;
              }
              for (const node of record.addedNodes) {
                if (answer.contains(node)) scan(node.textContent, now);
                else if (node.contains(answer)) scan(answer.textContent, now);
              }
            }
            window.__seenCount = next - 1;
          }).observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """;

    /// <summary>The baseline page, served at the peer's origin: fetch the stream, append each text delta to one node.</summary>
    private const string BaselinePage = """
        <!doctype html><html><body><div data-testid="answer"></div><script>
        async function stream(model) {
          const response = await fetch('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Count' }] }) });
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          const out = document.querySelector('[data-testid=answer]');
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            buffer += value;
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const line = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
              const content = JSON.parse(line.slice(6)).choices[0]?.delta?.content;
              if (content) out.append(content);
            }
          }
        }
        </script></body></html>
        """;

    public static async Task<int> RunAsync(int tokens)
    {
        var chromium = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new BenchmarkFailedException($"Chromium not found at {chromium}: apt-get install -y chromium (or set PORTAL_CHROMIUM).");
        }

        await using var peer = await OpenAiPeer.StartAsync();
        peer.TokenDelay = TokenDelay;
        var model = $"peer-long-{tokens}";
        await using var portal = await PortalProcess.StartAsync("Development",
            $"--Portal:Connections:0:Name={ConnectionName}", "--Portal:Connections:0:Kind=OpenAICompatible",
            $"--Portal:Connections:0:Endpoint={peer.V1}", "--Portal:Connections:0:Auth=None", $"--Portal:Connections:0:Models:0={model}");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
        var timeout = (float)(tokens * TokenDelay.TotalMilliseconds * 5 + 60_000);
        Console.WriteLine($"{tokens:N0} tokens from the loopback peer, {TokenDelay.TotalMilliseconds} ms (Task.Delay) apart; headless Chromium ({chromium}); the portal as a separate process (Release build, Development).");

        // Baseline: the browser reading the peer's stream itself.
        var page = await browser.NewPageAsync();
        var baselineUrl = new Uri(peer.BaseUrl, "baseline").ToString();
        await page.RouteAsync(baselineUrl, route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = BaselinePage }));
        await page.GotoAsync(baselineUrl);
        await page.EvaluateAsync(Observer, new object[] { tokens, "[data-testid=answer]" });
        await page.EvaluateAsync("model => { stream(model); }", model);
        var baseline = await CollectAsync(page, peer, tokens, timeout, "the fetch baseline");
        await page.CloseAsync();

        // The portal: the chat playground, as a person sends a message.
        page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = portal.BaseUri.ToString() });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync($"playground/chat?connection={ConnectionName}&model={model}");
        await Assertions.Expect(page.Locator("main[data-circuit]")).ToHaveAttributeAsync("data-circuit", "interactive");
        await page.EvaluateAsync(Observer, new object[] { tokens, "[data-testid=answer]" });
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Count");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        var ui = await CollectAsync(page, peer, tokens, timeout, "the chat playground");

        Console.WriteLine("| path | p50 | p95 | max | first 1,000 tokens p50 / p95 | last 1,000 tokens p50 / p95 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        Console.WriteLine(Row("fetch + append in the same browser (baseline)", baseline));
        Console.WriteLine(Row("portal chat playground (Blazor Server)", ui));
        Console.WriteLine($"p95 ratio portal / baseline: {(Percentile(ui, 0.95) / Math.Max(0.1, Percentile(baseline, 0.95))).ToString("0.0", CultureInfo.InvariantCulture)}×; "
            + $"the portal's last 1,000 tokens p50 is {(Percentile(ui[^Math.Min(1000, ui.Length)..], 0.5) / Math.Max(0.1, Percentile(ui[..Math.Min(1000, ui.Length)], 0.5))).ToString("0.0", CultureInfo.InvariantCulture)}× its first 1,000's.");
        return 0;
    }

    /// <summary>Waits until every token has appeared; the time from leaving the peer to appearing, per token.</summary>
    private static async Task<double[]> CollectAsync(IPage page, OpenAiPeer peer, int tokens, float timeout, string path)
    {
        try
        {
            await page.WaitForFunctionAsync("n => window.__seenCount >= n", tokens, new() { Timeout = timeout, PollingInterval = 250 });
        }
        catch (TimeoutException)
        {
            var seen = await page.EvaluateAsync<int>("() => window.__seenCount");
            throw new BenchmarkFailedException($"The answer in {path} did not complete: {seen:N0} of {tokens:N0} tokens appeared within {timeout / 1000:0} s.");
        }

        var appeared = await page.EvaluateAsync<double[]>("() => Array.from(window.__seen)");
        var sent = peer.LongStreamSentAt;
        if (sent.Length != tokens || sent.Any(t => t == 0) || appeared.Length != tokens)
        {
            throw new BenchmarkFailedException($"The peer's record for {path} is incomplete ({sent.Count(t => t > 0)} of {tokens} tokens stamped).");
        }

        var latency = appeared.Zip(sent, (a, s) => a - s).ToArray();
        Console.WriteLine($"  {path}: every token appeared; {Summary(latency)}");
        return latency;
    }

    private static string Summary(double[] latency) => string.Create(CultureInfo.InvariantCulture,
        $"p50 {Percentile(latency, 0.5):0.0} ms, p95 {Percentile(latency, 0.95):0.0} ms, max {latency.Max():0.0} ms");

    private static string Row(string name, double[] latency)
    {
        var n = Math.Min(1000, latency.Length);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Percentile(latency, 0.5):0.0} ms | {Percentile(latency, 0.95):0.0} ms | {latency.Max():0.0} ms | {Percentile(latency[..n], 0.5):0.0} / {Percentile(latency[..n], 0.95):0.0} ms | {Percentile(latency[^n..], 0.5):0.0} / {Percentile(latency[^n..], 0.95):0.0} ms |");
    }

    // Nearest rank, as the portal's evaluations compute it.
    private static double Percentile(double[] values, double p) =>
        Portal.Web.Evaluations.EvaluationStatistics.Percentile(values, p * 100) ?? throw new BenchmarkFailedException("No values to take a percentile of.");
}
