using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// The measurement programs: each exits 1 with "!!! BENCHMARK FAILED" when it cannot measure what it says it does.
Func<Task<int>>? measurement = args.FirstOrDefault() switch
{
    "--evaluation" => () => Portal.Benchmarks.EvaluationMeasurement.RunAsync(),
    "--streaming" => () => Portal.Benchmarks.StreamingMeasurement.RunAsync(),
    "--circuits" => () => Portal.Benchmarks.CircuitsMeasurement.RunAsync(
        args.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList() is { Count: > 0 } sizes ? sizes : ["100", "1000", "max"],
        TimeSpan.FromSeconds(Option("--budget-seconds", 300)),
        Option("--max-rss-mb", 8192) * 1024L * 1024),
    "--prerender" => () => Portal.Benchmarks.PrerenderMeasurement.RunAsync(TimeSpan.FromSeconds(Option("--seconds", 15))),
    "--first-visit" => () => Portal.Benchmarks.FirstVisitMeasurement.RunAsync(),
    "--ui-streaming" => () => Portal.Benchmarks.UiStreamingMeasurement.RunAsync(Option("--tokens", 10_000)),
    _ => null,
};

if (measurement is not null)
{
    try
    {
        return await measurement();
    }
    catch (Exception ex)
    {
        Console.Error.WriteLine($"!!! BENCHMARK FAILED: {ex.GetType().Name}: {ex.Message}");
        return 1;
    }
}

// In-process: no generated project to build, so the benchmarks run wherever the repository builds. Iterations are
// bounded so a noisy shared machine cannot stretch one benchmark past the in-process toolchain's time limit.
var config = DefaultConfig.Instance
    .AddJob(Job.Default
        .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(10), logOutput: false))
        .WithWarmupCount(8)
        .WithIterationCount(40))
    .AddColumn(StatisticColumn.P95)
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Portal.Benchmarks.SyntheticCatalog).Assembly).Run(args, config).ToList();

// A benchmark that could not run (an exception, NA, a validation error) fails the run loudly instead of leaving
// yesterday's figures standing.
var failed = summaries.Count == 0
    ? ["no benchmark matched the filter"]
    : summaries.SelectMany(s => s.HasCriticalValidationErrors
        ? [$"{s.Title}: validation errors"]
        : s.Reports.Length == 0
            ? [$"{s.Title}: no report"]
            : s.Reports.Where(r => !r.Success || r.ResultStatistics is null).Select(r => $"{r.BenchmarkCase.DisplayInfo}: did not run")).ToList();
foreach (var problem in failed)
{
    Console.Error.WriteLine($"!!! BENCHMARK FAILED: {problem}");
}

return failed.Count == 0 ? 0 : 1;

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
