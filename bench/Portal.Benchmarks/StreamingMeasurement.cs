using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Sources;
using Portal.Playground.Inference;
using Portal.Playground.Outbound;
using Portal.TestPeers;
using Portal.Web.Playground;

namespace Portal.Benchmarks;

/// <summary>
/// The portal's streaming path (InferenceService through the outbound policy, then StreamRunner appending text and
/// asking the UI to render) against the OpenAI SDK called directly, against the same loopback peer, interleaved in one
/// run. Reports time to first token and total time (medians and p95), their differences, and the gaps between UI
/// renders while text streams. A measurement program, not a timed test: run it with <c>-- --streaming</c>.
/// </summary>
public static class StreamingMeasurement
{
    private const string Key = "sk-bench";

    public static async Task<int> RunAsync(int runs = 40, int warmup = 5)
    {
        await using var peer = await OpenAiPeer.StartAsync(Key);
        peer.TokenDelay = TimeSpan.FromMilliseconds(1);
        peer.Repeat = 12; // about 170 words

        var direct = new OpenAIClient(new ApiKeyCredential(Key), new OpenAIClientOptions { Endpoint = peer.V1 }).GetChatClient("peer-chat");
        using var factory = new InferenceClientFactory(
            new OutboundUrlPolicy(new TestOptionsMonitor<OutboundOptions>(new OutboundOptions())),
            Options.Create(new InferenceOptions()),
            () => throw new InvalidOperationException());
        var inference = new InferenceService(factory);
        var target = new InferenceTarget("peer", ConnectionKind.OpenAICompatible, peer.V1, ConnectionAuth.ApiKey, Key);
        using var catalog = new CatalogService([new EmbeddedCatalogSource()], NullLogger<CatalogService>.Instance);
        using var lifetime = new TestApplicationLifetime();
        var runner = new StreamRunner(catalog, BenchmarkData.Embedded, TimeProvider.System, Options.Create(new InferenceOptions()), new PlaygroundShutdown(lifetime, NullLogger<PlaygroundShutdown>.Instance));
        ChatTurn[] turns = [new(ChatRole.User, "Measure me")];
        ChatMessage[] messages = [new UserChatMessage("Measure me")];

        var directTtft = new List<double>();
        var directTotal = new List<double>();
        var portalTtft = new List<double>();
        var portalTotal = new List<double>();
        var renderGaps = new List<double>();
        int words = 0;
        for (var i = 0; i < warmup + runs; i++)
        {
            var measured = i >= warmup;

            // The SDK directly: first content update, and the end of the stream.
            var clock = Stopwatch.StartNew();
            double? first = null;
            var text = "";
            await foreach (var update in direct.CompleteChatStreamingAsync(messages))
            {
                foreach (var part in update.ContentUpdate.Where(p => !string.IsNullOrEmpty(p.Text)))
                {
                    first ??= clock.Elapsed.TotalMilliseconds;
                    text += part.Text;
                }
            }

            if (measured)
            {
                directTtft.Add(first!.Value);
                directTotal.Add(clock.Elapsed.TotalMilliseconds);
                words = text.Split(' ').Length;
            }

            // The portal: from the call to the first render that shows text, and to the final render.
            var answer = new ChatMessageState { Role = ChatRole.Assistant };
            var renders = new List<(double At, int Length)>();
            clock.Restart();
            await runner.RunAsync(inference.StreamChatAsync(target, "peer-chat", turns, new GenerationParameters(), CancellationToken.None), answer, "peer-chat", "Measure me",
                change =>
                {
                    change();
                    renders.Add((clock.Elapsed.TotalMilliseconds, answer.Content.Length));
                    return Task.CompletedTask;
                }, CancellationToken.None);
            var total = clock.Elapsed.TotalMilliseconds;
            if (answer.Content != text || answer.Error is not null)
            {
                throw new InvalidOperationException("The portal's answer differs from the SDK's: " + answer.Error?.Message);
            }

            if (measured)
            {
                portalTtft.Add(renders.First(r => r.Length > 0).At);
                portalTotal.Add(total);
                var streaming = renders.Where(r => r.Length > 0).Select(r => r.At).ToList();
                renderGaps.AddRange(streaming.Zip(streaming.Skip(1), (a, b) => b - a));
            }
        }

        static double Median(List<double> values) => Percentile(values, 0.5);
        static double Percentile(List<double> values, double p)
        {
            var sorted = values.Order().ToList();
            return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
        }

        string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine($"Streaming against the loopback peer: {runs} runs each (after {warmup} warm-up), {words} words per answer, the peer waits 1 ms (Task.Delay) between words.");
        Console.WriteLine("| path | TTFT median | TTFT p95 | total median | total p95 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Console.WriteLine($"| OpenAI SDK directly (baseline) | {F(Median(directTtft))} ms | {F(Percentile(directTtft, 0.95))} ms | {F(Median(directTotal))} ms | {F(Percentile(directTotal, 0.95))} ms |");
        Console.WriteLine($"| portal (InferenceService + StreamRunner, first render) | {F(Median(portalTtft))} ms | {F(Percentile(portalTtft, 0.95))} ms | {F(Median(portalTotal))} ms | {F(Percentile(portalTotal, 0.95))} ms |");
        var ttftDelta = Median(portalTtft) - Median(directTtft);
        var totalRatio = Median(portalTotal) / Median(directTotal);
        Console.WriteLine($"TTFT difference (medians): {F(ttftDelta)} ms (target ≤ +5 ms). Total ratio (medians): {totalRatio.ToString("0.000", CultureInfo.InvariantCulture)} (target ≤ 1.02).");
        Console.WriteLine($"UI render gaps while streaming: median {F(Median(renderGaps))} ms, p95 {F(Percentile(renderGaps, 0.95))} ms, max {F(renderGaps.Max())} ms (target: about every 50 ms or better).");
        return ttftDelta <= 5 && totalRatio <= 1.02 && renderGaps.Max() <= 60 ? 0 : 1;
    }
}
