using Portal.Tests.Support;
using Portal.Web;

namespace Portal.Tests.Hosting;

/// <summary>Every section of settings is validated the same way: at start, all problems at once, one line each.</summary>
public sealed class StartupValidationTests
{
    private static async Task<(int ExitCode, string[] Lines)> RunAsync(params string[] settings)
    {
        using var temp = new TempDirectory();
        using var error = new StringWriter();
        var exitCode = await PortalWebApplication.RunAsync(
            [$"--Portal:Storage:SqlitePath={temp.File("portal.db")}", "--Urls=http://127.0.0.1:0", .. settings], error);
        return (exitCode, error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task InferenceSettings_Bad_EveryProblemIsNamed()
    {
        var (exitCode, lines) = await RunAsync(
            "--Portal:Inference:Timeout=00:00:00", "--Portal:Inference:EntraScope=not a uri", "--Portal:Inference:MaxAnswerChars=10", "--Portal:Inference:MaxAnswerDuration=-00:00:01");

        Assert.Equal(1, exitCode);
        Assert.Contains(lines, l => l.Contains("Portal:Inference:Timeout '00:00:00' must be positive", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Portal:Inference:EntraScope 'not a uri'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Portal:Inference:MaxAnswerChars '10' must be between", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Portal:Inference:MaxAnswerDuration '-00:00:01' must be positive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CircuitSettings_Bad_EveryProblemIsNamed()
    {
        var (exitCode, lines) = await RunAsync(
            "--Portal:Circuits:DisconnectedMaxRetained=-1", "--Portal:Circuits:DisconnectedRetentionPeriod=02:00:00");

        Assert.Equal(1, exitCode);
        Assert.Contains(lines, l => l.Contains("Portal:Circuits:DisconnectedMaxRetained '-1' must be between 0 and 10000", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Portal:Circuits:DisconnectedRetentionPeriod '02:00:00' must be between 00:00:00 and 01:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InstanceSettings_Bad_EveryProblemIsNamed()
    {
        var (exitCode, lines) = await RunAsync(
            "--Portal:Instances:ChangePollInterval=00:00:00", "--Portal:Instances:LeaseDuration=00:00:10", "--Portal:Instances:LeaseRenewInterval=00:00:06");

        Assert.Equal(1, exitCode);
        Assert.Contains(lines, l => l.Contains("Portal:Instances:ChangePollInterval must be between 00:00:00.1 and 00:01:00 (it is 00:00:00)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Portal:Instances:LeaseRenewInterval must be at least 00:00:00.1 and at most half of LeaseDuration (00:00:05)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InstanceSettings_LeaseTooShort_IsNamed()
    {
        var (exitCode, lines) = await RunAsync("--Portal:Instances:LeaseDuration=00:00:01", "--Portal:Instances:LeaseRenewInterval=00:00:00.2");

        Assert.Equal(1, exitCode);
        var line = Assert.Single(lines);
        Assert.Contains("Portal:Instances:LeaseDuration must be between 00:00:02 and 01:00:00 (it is 00:00:01)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnconvertibleValue_NamesTheSetting()
    {
        var (exitCode, lines) = await RunAsync("--Portal:Storage:Provider=Mongo");

        Assert.Equal(1, exitCode);
        var line = Assert.Single(lines);
        Assert.Contains("'Mongo' at 'Portal:Storage:Provider'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AzureSettings_Bad_EveryProblemIsNamed()
    {
        var (exitCode, lines) = await RunAsync(
            "--Portal:Azure:Endpoint=http://management.example.com/", "--Portal:Azure:PollInterval=00:00:00", "--Portal:Azure:Subscriptions:0=my-subscription");

        Assert.Equal(1, exitCode);
        Assert.Contains(lines, l => l.Contains("Portal:Azure:Endpoint 'http://management.example.com/' must be an absolute https URL", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Portal:Azure:PollInterval '00:00:00' must be positive", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Portal:Azure:Subscriptions:0 'my-subscription' is not a subscription id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExportSettings_Bad_TheLimitIsNamed()
    {
        var (exitCode, lines) = await RunAsync("--Portal:Exports:MaxConcurrentPerClient=0");

        Assert.Equal(1, exitCode);
        var line = Assert.Single(lines);
        Assert.Contains("Portal:Exports:MaxConcurrentPerClient '0' must be at least 1", line, StringComparison.Ordinal);
    }
}
