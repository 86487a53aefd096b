using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// A real OpenID Connect provider on loopback: <c>node tests/oidc-provider/provider.mjs</c> (npm oidc-provider, installed
/// by <c>npm ci</c> in that folder; tests/run-all.sh does it). Started on port 0; it prints its address, then learns the
/// portal's address on its standard input (the portal needs the provider's address first). Stopped with its process tree.
/// </summary>
public sealed class OidcProviderFixture : IAsyncDisposable
{
    public const string ClientId = "portal";

    /// <summary>The audience of the provider's JWT access tokens for the portal's API (Portal:Auth:Oidc:Audience).</summary>
    public const string ApiAudience = "api://portal";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A new secret per run, so a test can tell that it never reaches the portal's logs or pages.</summary>
    public string ClientSecret { get; } = "e2e-client-secret-" + Guid.NewGuid().ToString("N");

    /// <summary>The issuer, e.g. <c>http://127.0.0.1:41171</c> (no trailing slash).</summary>
    public string Authority { get; private set; } = "";

    public static string ProviderFolder => Path.Combine(PortalServerFixture.RepositoryRoot, "tests", "oidc-provider");

    /// <summary>Starts the provider and waits for its address.</summary>
    public async Task StartAsync()
    {
        if (!Directory.Exists(Path.Combine(ProviderFolder, "node_modules", "oidc-provider")))
        {
            throw new InvalidOperationException(
                $"The test OpenID Connect provider's packages are not installed: run 'npm ci' in {ProviderFolder} (tests/run-all.sh does).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ProviderFolder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("provider.mjs");
        start.ArgumentList.Add("0");
        start.Environment["PROVIDER_CLIENT_SECRET"] = ClientSecret;
        start.Environment["PROVIDER_API_AUDIENCE"] = ApiAudience;

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Node.js ('node') is needed for the sign-in tests: install nodejs and npm.", ex);
        }

        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _output.Enqueue("stderr: " + line);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        Authority = await WaitAsync(_listening.Task, "print its address");
    }

    /// <summary>Registers the portal's redirect addresses (<c>{portal}/signin-oidc</c>, <c>{portal}/signout-callback-oidc</c>).</summary>
    public async Task ConfigurePortalAsync(string portalBaseUrl)
    {
        var process = _process ?? throw new InvalidOperationException("The provider is not running.");
        await process.StandardInput.WriteLineAsync(portalBaseUrl.TrimEnd('/'));
        await process.StandardInput.FlushAsync();
        await WaitAsync(_ready.Task, "register the portal");
    }

    /// <summary>
    /// An access token for the portal's API from the provider's token endpoint (client credentials, resource = the API's
    /// audience): a signed JWT, as a service calling the portal would send. Without <paramref name="resource"/> the
    /// provider issues an opaque token, which the portal's API cannot validate.
    /// </summary>
    public async Task<string> ClientCredentialsTokenAsync(HttpClient http, string? resource)
    {
        ArgumentNullException.ThrowIfNull(http);
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
        };
        if (resource is not null)
        {
            form["resource"] = resource;
            form["scope"] = "portal.api";
        }

        using var response = await http.PostAsync(new Uri(Authority + "/token"), new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>();
        return token?.AccessToken ?? throw new InvalidOperationException("The provider's token response has no access_token.");
    }

    /// <summary>What the provider printed (for a failure message).</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _listening.TrySetException(new InvalidOperationException("The provider exited. Its output:" + Environment.NewLine + Output));
            _ready.TrySetException(new InvalidOperationException("The provider exited. Its output:" + Environment.NewLine + Output));
            return;
        }

        _output.Enqueue(line);
        if (line.StartsWith("listening ", StringComparison.Ordinal))
        {
            _listening.TrySetResult(line["listening ".Length..].Trim().TrimEnd('/'));
        }
        else if (line == "ready")
        {
            _ready.TrySetResult();
        }
    }

    private async Task<T> WaitAsync<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"The test OpenID Connect provider did not {what} within {StartTimeout.TotalSeconds} s. Its output:{Environment.NewLine}{Output}", ex);
        }
    }

    private async Task WaitAsync(Task task, string what) =>
        await WaitAsync(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), what);

    public async ValueTask DisposeAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }
        finally
        {
            process.Dispose();
            _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string? AccessToken);
}
