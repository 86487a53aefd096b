using System.Diagnostics;
using System.Reflection;

namespace Portal.Tests.Infra;

/// <summary>
/// The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package (a <c>PackageDownload</c> of this project; its path
/// is written into the assembly's metadata at build time), and the repository's <c>infra/</c> folder.
/// </summary>
internal static class BicepCli
{
    public static string Path { get; } = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BicepCli").Value!;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Infra(string file) => System.IO.Path.Combine(RepositoryRoot, "infra", file);

    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        Assert.True(File.Exists(Path), $"The Bicep CLI is missing at {Path}: restore tests/Portal.Tests (it is a PackageDownload).");
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Offline: no telemetry, no lookups of newer API versions.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Portal.sln) was not found above " + AppContext.BaseDirectory);
    }
}
