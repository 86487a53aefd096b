using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using Portal.TestPeers;
using Portal.Web;
using Portal.Web.Evaluations;

namespace Portal.Benchmarks;

/// <summary>
/// An evaluation of 1,000 rows × 2 targets at concurrency 8 per target against the loopback peer (<c>peer-quiz</c> and
/// <c>peer-quiz-off</c>, a few words each, <see cref="TokenDelay"/> apart), run by the portal (the real app: the
/// background runner, the inference service, scoring and a SQLite store, a cell written per answer) against the same
/// calls made directly with the OpenAI SDK (<c>ChatClient.CompleteChatStreamingAsync</c>, streamed to the end) at the
/// same concurrency. Interleaved rounds; reports each round's wall time and the ratio of the medians. Exits 1 when
/// a run fails, the answers differ, or the ratio misses the target. Run it with <c>-- --evaluation</c>.
/// </summary>
public static class EvaluationMeasurement
{
    public const int Rows = 1_000;
    public const int Concurrency = 8;
    public const double Target = 1.10;
    public static readonly TimeSpan TokenDelay = TimeSpan.FromMilliseconds(5);
    private static readonly string[] Models = ["peer-quiz", "peer-quiz-off"];

    public static async Task<int> RunAsync(int rounds = 5)
    {
        await using var peer = await OpenAiPeer.StartAsync();
        peer.TokenDelay = TokenDelay;
        var folder = Path.Combine(Path.GetTempPath(), "portal-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var app = PortalWebApplication.Create(
        [
            $"--Portal:Storage:SqlitePath={Path.Combine(folder, "portal.db")}",
            "--Portal:Connections:0:Name=peer",
            "--Portal:Connections:0:Kind=OpenAICompatible",
            $"--Portal:Connections:0:Endpoint={peer.V1}",
            "--Portal:Connections:0:Auth=None",
            "--Logging:LogLevel:Default=Warning",
        ], builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
        await app.StartAsync();
        try
        {
            var rows = Enumerable.Range(1, Rows).Select(i => new DatasetRow(i, new DatasetInput($"What is {i} + {i % 7}?", null), (i + (i % 7)).ToString(CultureInfo.InvariantCulture), new Dictionary<string, string>())).ToList();
            var direct = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = peer.V1 });

            // Warm-up: one whole round of both paths (connections opened, code compiled to its final tier).
            await DirectAsync(direct, rows);
            await PortalAsync(app, rows);

            var directTimes = new List<double>();
            var portalTimes = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                var (directTime, directCorrect) = await DirectAsync(direct, rows);
                var (portalTime, portalCorrect) = await PortalAsync(app, rows);
                if (directCorrect != portalCorrect)
                {
                    Console.Error.WriteLine($"!!! BENCHMARK FAILED: the portal scored {portalCorrect} answers right, the direct calls {directCorrect}.");
                    return 1;
                }

                directTimes.Add(directTime);
                portalTimes.Add(portalTime);
                Console.WriteLine($"round {round + 1}: SDK directly {directTime:0} ms, portal {portalTime:0} ms, ratio {portalTime / directTime:0.000} ({directCorrect} of {2 * Rows} answers right on both)");
            }

            var ratio = Median(portalTimes) / Median(directTimes);
            Console.WriteLine($"{Rows} rows × {Models.Length} targets, concurrency {Concurrency} per target, peer token delay {TokenDelay.TotalMilliseconds} ms");
            Console.WriteLine($"median: SDK directly {Median(directTimes):0} ms, portal {Median(portalTimes):0} ms; ratio {ratio:0.000} (target ≤ {Target:0.00})");
            if (ratio > Target)
            {
                Console.Error.WriteLine($"!!! BENCHMARK FAILED: ratio {ratio:0.000} is over {Target:0.00}");
                return 1;
            }

            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>The same calls with the SDK: each target's rows at the concurrency, both targets at once; counts substring matches.</summary>
    private static async Task<(double Ms, int Correct)> DirectAsync(OpenAIClient client, IReadOnlyList<DatasetRow> rows)
    {
        var correct = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Models.Select(model => Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (row, token) =>
        {
            var chat = client.GetChatClient(model);
            var text = new System.Text.StringBuilder();
            await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(row.Input.Question)], cancellationToken: token))
            {
                foreach (var part in update.ContentUpdate)
                {
                    text.Append(part.Text);
                }
            }

            if (text.ToString().Contains(row.Expected!, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref correct);
            }
        })));
        return (clock.Elapsed.TotalMilliseconds, correct);
    }

    /// <summary>The portal: queued through the service, run by the background runner, from the start call until Completed.</summary>
    private static async Task<(double Ms, int Correct)> PortalAsync(WebApplication app, IReadOnlyList<DatasetRow> rows)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<IEvaluationService>();
        // As a page follows a run: re-read it when the runner says it changed (at most 4 times a second).
        using var changed = new SemaphoreSlim(0);
        void OnChanged(Guid _) => changed.Release();
        service.Changed += OnChanged;
        var clock = Stopwatch.StartNew();
        var started = await service.StartAsync(new EvaluationSpec("bench", null, null, rows, [.. Models.Select(m => new EvaluationTargetSpec("peer", m))], ["substring-match"], Concurrency: Concurrency), CancellationToken.None);
        var id = started.Id ?? throw new InvalidOperationException("The portal refused the run: " + string.Join("; ", started.Problems.SelectMany(p => p.Value)));
        EvaluationRunInfo run;
        while (true)
        {
            run = (await service.GetAsync(id, CancellationToken.None))!;
            if (run.Status is not (EvaluationStatus.Queued or EvaluationStatus.Running))
            {
                break;
            }

            await changed.WaitAsync(TimeSpan.FromSeconds(1));
        }

        var elapsed = clock.Elapsed.TotalMilliseconds;
        service.Changed -= OnChanged;
        if (run.Status != EvaluationStatus.Completed || run.Counts.Failed > 0)
        {
            throw new InvalidOperationException($"The portal's run ended {run.Status} with {run.Counts.Failed} failed answers: {run.Error}");
        }

        var correct = run.Targets.Sum(t => (int)Math.Round(t.Scores[0].Mean!.Value * t.Scores[0].Scored));
        return (elapsed, correct);
    }
}
