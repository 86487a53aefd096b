using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The portal as a process of its own (the build output of src/Portal.Web, Development, content root src/Portal.Web),
/// on http://127.0.0.1:0, so a test can kill it outright as a crash would.
/// </summary>
public sealed partial class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PortalProcess(Process process) => _process = process;

    public string BaseUrl { get; private set; } = "";

    public int Id => _process.Id;

    /// <summary>What the process wrote, for a failing test's message.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    public static async Task<PortalProcess> StartAsync(IEnumerable<string> settings)
    {
        var root = PortalServerFixture.RepositoryRoot;
        // The same configuration (Release or Debug) as this test's own build, which built the portal too.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(root, "src", "Portal.Web", "bin", configuration, "net10.0", "Portal.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The portal's build output {dll} is missing: build the test project first.");
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[dll, "--urls=http://127.0.0.1:0", "--environment=Development", $"--contentRoot={Path.Combine(root, "src", "Portal.Web")}", .. settings])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";

        var portal = new PortalProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
        portal._process.OutputDataReceived += (_, e) => portal.Read(e.Data);
        portal._process.ErrorDataReceived += (_, e) => portal.Read(e.Data);
        portal._process.BeginOutputReadLine();
        portal._process.BeginErrorReadLine();
        portal._process.EnableRaisingEvents = true;
        portal._process.Exited += (_, _) => portal._listening.TrySetException(new InvalidOperationException("The portal exited before it listened:\n" + string.Join('\n', portal.Output)));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            portal.BaseUrl = (await portal._listening.Task.WaitAsync(timeout.Token)).TrimEnd('/') + "/";
        }
        catch (OperationCanceledException)
        {
            await portal.DisposeAsync();
            throw new InvalidOperationException("The portal did not listen within 60 s:\n" + string.Join('\n', portal.Output));
        }

        return portal;
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        Output.Enqueue(line);
        if (Listening().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(match.Groups[1].Value);
        }
    }

    /// <summary>Ends the process at once (SIGKILL): no graceful stop, no lease released, as when a host dies.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
