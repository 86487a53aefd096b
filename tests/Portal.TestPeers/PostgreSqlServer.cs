using System.Diagnostics;

namespace Portal.TestPeers;

/// <summary>
/// A real PostgreSQL server from the machine's packages (Debian: postgresql), in a throw-away data folder. It listens
/// only on a Unix socket in that folder (no TCP port, so nothing to pick and race for). Runs as the 'postgres' user
/// when the tests run as root, since PostgreSQL refuses to run as root. Shared by the unit and end-to-end tests.
/// </summary>
public sealed class PostgreSqlServer
{
    /// <summary>Set (as in .ci/run) to make a missing PostgreSQL a failure instead of a skip.</summary>
    public const string RequireVariable = "PORTAL_REQUIRE_POSTGRES";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "portal-pg-" + Guid.NewGuid().ToString("N")[..10]);
    /// <summary>Names the socket file (.s.PGSQL.5432) only; no TCP port is opened.</summary>
    private const int SocketPort = 5432;

    public static string? BinDirectory { get; } = FindBinDirectory();

    public static bool IsAvailable => BinDirectory is not null;

    public static string SkipReason =>
        "!!! PostgreSQL tests SKIPPED: no PostgreSQL server binaries (initdb, pg_ctl) found under /usr/lib/postgresql/*/bin "
        + "or PORTAL_POSTGRES_BIN. Install them with 'apt-get install -y postgresql' (the README test command does). !!!";

    public string ConnectionString(string database) =>
        $"Host={_root};Port={SocketPort};Username=portal;Database={database};Pooling=false;Timeout=15";

    public async Task InitializeAsync()
    {
        if (BinDirectory is null)
        {
            throw new InvalidOperationException(SkipReason);
        }

        Directory.CreateDirectory(_root);
        if (RunningAsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root], asPostgres: false);
        }

        var data = Path.Combine(_root, "data");
        await RunAsync(Path.Combine(BinDirectory, "initdb"), ["-D", data, "-U", "portal", "--auth=trust", "-E", "UTF8", "--no-locale"]);
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"),
        [
            "-D", data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
            "-o", $"-p {SocketPort} -k {_root} -c listen_addresses= -c fsync=off",
            "start",
        ]);
    }

    public async Task DisposeAsync()
    {
        if (BinDirectory is not null && Directory.Exists(Path.Combine(_root, "data")))
        {
            await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"]);
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; it is under the temp folder.
        }
    }

    private static bool RunningAsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    private static string? FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("PORTAL_POSTGRES_BIN");
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(configured))
        {
            candidates.Add(configured);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asPostgres = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && RunningAsRoot)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", fileName })
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = fileName;
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
