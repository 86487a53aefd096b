using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Portal.TestPeers;
using Portal.Tests.Support;
using Portal.Web;

namespace Portal.Tests.Hosting;

/// <summary>The real portal on an in-memory test server, with its store in a temp folder.</summary>
internal sealed class PortalHost : IAsyncDisposable
{
    private readonly TempDirectory _temp;

    private PortalHost(WebApplication app, TempDirectory temp)
    {
        App = app;
        _temp = temp;
    }

    public WebApplication App { get; }

    public string StoreFolder => _temp.Path;

    public HttpClient CreateClient() => App.GetTestClient();

    /// <summary>Builds the app with the store in a fresh temp folder; extra args are configuration (<c>--Key=Value</c>).</summary>
    public static WebApplication Build(TempDirectory temp, params string[] extraArgs) => Build(temp, logs: null, extraArgs);

    /// <summary>As <see cref="Build(TempDirectory, string[])"/>, with every log line also kept in <paramref name="logs"/>.</summary>
    public static WebApplication Build(TempDirectory temp, CapturingLoggerProvider? logs, params string[] extraArgs) =>
        Build(temp, logs, configure: null, extraArgs);

    /// <summary>As <see cref="Build(TempDirectory, CapturingLoggerProvider, string[])"/>, with <paramref name="configure"/> run on the builder last.</summary>
    public static WebApplication Build(TempDirectory temp, CapturingLoggerProvider? logs, Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        // The test server has no wwwroot of its own (static assets come from the manifest); the temp folder stands in.
        string[] args = [$"--Portal:Storage:SqlitePath={temp.File("portal.db")}", $"--webroot={temp.Path}", .. extraArgs];
        return PortalWebApplication.Create(args, builder =>
        {
            builder.WebHost.UseTestServer();
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
            }

            configure?.Invoke(builder);
        });
    }

    public static Task<PortalHost> StartAsync(params string[] extraArgs) => StartAsync(configure: null, extraArgs);

    /// <summary>Starts the portal with <paramref name="configure"/> run on the builder (to add a test service or middleware).</summary>
    public static async Task<PortalHost> StartAsync(Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        var temp = new TempDirectory();
        var app = Build(temp, logs: null, configure, extraArgs);
        await app.StartAsync();
        return new PortalHost(app, temp);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        _temp.Dispose();
    }
}
