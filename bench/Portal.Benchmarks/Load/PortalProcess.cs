using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Portal.Benchmarks.Load;

/// <summary>
/// The portal as it runs in production, in a process of its own: the Release build of src/Portal.Web
/// (<c>dotnet Portal.Web.dll</c>), environment Production unless asked otherwise (Development serves the static web
/// assets from the build's manifest; a build that is not published has them only there), embedded SQLite in a temp folder, on a free loopback port, the
/// memory diagnostics endpoint on. Killed and its folder deleted on dispose.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly List<string> _output = [];

    private PortalProcess(Process process, string folder, Uri baseUri)
    {
        _process = process;
        _folder = folder;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the portal wrote (standard output and error), for a failure message.</summary>
    public string Tail()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output.TakeLast(20));
        }
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Portal.sln) is not above " + AppContext.BaseDirectory);
    }

    public static Task<PortalProcess> StartAsync(string environment = "Production", params string[] extraArgs) =>
        StartFromAsync(appFolder: null, environment, extraArgs);

    /// <summary>As <see cref="StartAsync(string, string[])"/>, from <paramref name="appFolder"/> (a publish folder) when given.</summary>
    public static async Task<PortalProcess> StartFromAsync(string? appFolder, string environment, params string[] extraArgs)
    {
        // The bench project references src/Portal.Web, so its Release build builds the portal's own output folder too.
        var bin = appFolder ?? Path.Combine(RepositoryRoot(), "src", "Portal.Web", "bin", "Release", "net10.0");
        var dll = Path.Combine(bin, "Portal.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build with 'dotnet build bench/Portal.Benchmarks -c Release' first.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "portal-load-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var baseUri = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = bin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])[dll, "--urls", baseUri.ToString().TrimEnd('/'), "--environment", environment, "--contentRoot", bin,
                     $"--Portal:Storage:SqlitePath={Path.Combine(folder, "portal.db")}", "--Portal:Diagnostics:MemoryEndpoint=true",
                     "--Logging:LogLevel:Default=Warning", .. extraArgs])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var portal = new PortalProcess(process, folder, baseUri);
        process.OutputDataReceived += (_, e) => portal.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                await portal.DisposeAsync();
                throw new InvalidOperationException($"The portal exited with {process.ExitCode} while starting:{Environment.NewLine}{portal.Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return portal;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                await portal.DisposeAsync();
                throw new InvalidOperationException("The portal did not answer /healthz within 90 s:" + Environment.NewLine + portal.Tail());
            }

            await Task.Delay(200);
        }
    }

    /// <summary>GC heap after the portal's forced full collection, and its resident set (VmRSS) read from /proc right after.</summary>
    public async Task<(long HeapBytes, long RssBytes)> MeasureMemoryAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri(BaseUri, "_diagnostics/memory"));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The memory endpoint answered {(int)response.StatusCode}.");
        }

        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (report.GetProperty("processId").GetInt32() != ProcessId)
        {
            throw new InvalidOperationException("The memory endpoint answered from another process than the one started.");
        }

        return (report.GetProperty("gcHeapBytes").GetInt64(), ResidentSetBytes());
    }

    /// <summary>VmRSS of the portal's process, from /proc/&lt;pid&gt;/status.</summary>
    public long ResidentSetBytes()
    {
        var line = File.ReadLines($"/proc/{ProcessId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 200)
            {
                _output.RemoveRange(0, 100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held; the temp folder is cleaned by the system.
        }
    }
}
