using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

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

BenchmarkSwitcher.FromAssembly(typeof(Portal.Benchmarks.SyntheticCatalog).Assembly).Run(args, config);
return 0;
