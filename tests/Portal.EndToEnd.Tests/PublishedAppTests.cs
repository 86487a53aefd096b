using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The portal as it is deployed: <c>dotnet publish -c Release</c> (of the build the test run made), started from the
/// publish folder in Production, as App Service starts it. Every static asset the publish lists answers 200 with its
/// content type, compressed when the browser accepts it; every asset a page links to and every url() in a served
/// stylesheet resolves; an unknown address is a 404, never a 500.
/// </summary>
public sealed class PublishedAppTests(PublishedAppTests.PublishedPortal portal) : IClassFixture<PublishedAppTests.PublishedPortal>
{
    [Fact]
    public async Task EveryAssetThePublishLists_Answers200_WithItsContentType()
    {
        Assert.NotEmpty(portal.Endpoints);
        var failures = new List<string>();
        foreach (var (route, contentType) in portal.Endpoints)
        {
            using var response = await portal.Client.GetAsync(route);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{route}: {(int)response.StatusCode}");
            }
            else if (response.Content.Headers.ContentType?.MediaType != contentType)
            {
                failures.Add($"{route}: {response.Content.Headers.ContentType} instead of {contentType}");
            }
        }

        Assert.Empty(failures);
        Assert.Contains(portal.Endpoints, e => e.Route.StartsWith("_content/MudBlazor/", StringComparison.Ordinal));
        Assert.Contains(portal.Endpoints, e => Regex.IsMatch(e.Route, @"^Portal\.Web(\.\w+)?\.styles\.css$"));
        Assert.Contains(portal.Endpoints, e => e.Route.StartsWith("_framework/blazor.web", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/models")]
    [InlineData("/models/Phi-3-mini-4k-instruct")]
    [InlineData("/benchmarks")]
    [InlineData("/playground/chat")]
    [InlineData("/evaluations")]
    [InlineData("/settings/connections")]
    public async Task EveryAssetAPageLinks_IsServed_CompressedWhenAccepted(string page)
    {
        using var response = await portal.Client.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var assets = Regex.Matches(html, @"<(?:link|script|img)\b[^>]*?\b(?:href|src)=""(?<url>[^""#?]+)""")
            .Select(m => m.Groups["url"].Value)
            .Where(url => !url.StartsWith("http", StringComparison.Ordinal) && !url.StartsWith("data:", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.Contains(assets, url => url.Contains("blazor.web", StringComparison.Ordinal));
        Assert.Contains(assets, url => url.EndsWith(".css", StringComparison.Ordinal));

        foreach (var asset in assets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, asset.TrimStart('/'));
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            using var assetResponse = await portal.Client.SendAsync(request);

            Assert.True(assetResponse.StatusCode == HttpStatusCode.OK, $"{page} links {asset}: {(int)assetResponse.StatusCode}");
            if (asset.EndsWith(".css", StringComparison.Ordinal) || asset.EndsWith(".js", StringComparison.Ordinal))
            {
                Assert.True(assetResponse.Content.Headers.ContentEncoding.Count == 1, $"{asset} is not compressed");
            }
        }
    }

    [Fact]
    public async Task EveryUrlInAServedStylesheet_Resolves()
    {
        var stylesheets = portal.Endpoints.Where(e => e.ContentType == "text/css").Select(e => e.Route).ToList();
        Assert.NotEmpty(stylesheets);
        var failures = new List<string>();
        foreach (var stylesheet in stylesheets)
        {
            var css = await portal.Client.GetStringAsync(stylesheet);
            foreach (Match match in Regex.Matches(css, @"url\(\s*['""]?(?<url>[^'"")]+)['""]?\s*\)"))
            {
                var url = match.Groups["url"].Value;
                if (url.StartsWith("data:", StringComparison.Ordinal) || url.StartsWith('#'))
                {
                    continue;
                }

                Assert.False(url.StartsWith("http", StringComparison.Ordinal), $"{stylesheet} fetches {url} from another site");
                var resolved = new Uri(new Uri(portal.Client.BaseAddress!, stylesheet), url.Split('?', '#')[0]);
                using var response = await portal.Client.GetAsync(resolved);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{stylesheet} → {url}: {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/_content/MudBlazor/no-such-file.css")]
    [InlineData("/css/no-such-file.css")]
    public async Task AnUnknownAddress_Is404_Never500(string address)
    {
        using var response = await portal.Client.GetAsync(address);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The published portal, running in Production from its publish folder on a free loopback port.</summary>
    public sealed class PublishedPortal : IAsyncLifetime
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "portal-published-" + Guid.NewGuid().ToString("N")[..10]);
        private Process? _process;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

        public HttpClient Client { get; private set; } = default!;

        public List<(string Route, string ContentType)> Endpoints { get; } = [];

        public async Task InitializeAsync()
        {
            var publish = Path.Combine(_folder, "app");
            var project = Path.Combine(PortalServerFixture.RepositoryRoot, "src", "Portal.Web", "Portal.Web.csproj");
            // --no-build: publish the Release build this test run made (a rebuild here would race the other test projects).
            await RunAsync("dotnet", ["publish", project, "-c", "Release", "--no-build", "-o", publish], TimeSpan.FromMinutes(5));

            using (var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(publish, "Portal.Web.staticwebassets.endpoints.json"))))
            {
                foreach (var endpoint in manifest.RootElement.GetProperty(nameof(Endpoints)).EnumerateArray())
                {
                    // Endpoints with selectors are the compressed variants of a route; the route itself is listed without.
                    if (endpoint.GetProperty("Selectors").GetArrayLength() > 0)
                    {
                        continue;
                    }

                    var contentType = endpoint.GetProperty("ResponseHeaders").EnumerateArray()
                        .First(h => h.GetProperty("Name").GetString() == "Content-Type").GetProperty("Value").GetString()!;
                    Endpoints.Add((endpoint.GetProperty("Route").GetString()!, contentType.Split(';')[0]));
                }
            }

            var port = FreePort();
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = publish,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "Portal.Web.dll", $"--urls=http://127.0.0.1:{port}", $"--Portal:Storage:SqlitePath={Path.Combine(_folder, "portal.db")}" })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment.Remove("DOTNET_ENVIRONMENT");
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();

            Client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            };
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (true)
            {
                try
                {
                    using var ready = await Client.GetAsync("healthz/ready");
                    if (ready.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException) when (!_process.HasExited && DateTime.UtcNow < deadline)
                {
                }

                if (_process.HasExited || DateTime.UtcNow >= deadline)
                {
                    throw new InvalidOperationException("The published portal did not become ready:\n" + string.Join('\n', _output));
                }

                await Task.Delay(250);
            }
        }

        public async Task DisposeAsync()
        {
            Client?.Dispose();
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process?.Dispose();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static async Task RunAsync(string file, string[] arguments, TimeSpan timeout)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cancel.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await output}\n{await errors}");
            }
        }
    }
}
