using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

if (args.Contains("--evaluation"))
{
    try
    {
        return await Portal.Benchmarks.EvaluationMeasurement.RunAsync();
    }
    catch (Exception ex)
    {
        Console.Error.WriteLine($"!!! BENCHMARK FAILED: {ex.GetType().Name}: {ex.Message}");
        return 1;
    }
}

if (args.Contains("--streaming"))
{
    return await Portal.Benchmarks.StreamingMeasurement.RunAsync();
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
