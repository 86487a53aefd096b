using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// A YARP reverse proxy on loopback in front of several portal instances, with cookie session affinity as App Service's
/// ARR affinity gives: a browser's first request goes to the next instance in turn, and every later request of that
/// browser to the same one, until active health checks (<c>/healthz/ready</c> every second) find it gone; then the
/// browser is sent to another. Each response names the instance that answered in <see cref="InstanceHeader"/>.
/// </summary>
public sealed class AffinityProxy : IAsyncDisposable
{
    public const string InstanceHeader = "X-Test-Portal-Instance";

    private readonly WebApplication _app;

    private AffinityProxy(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static async Task<AffinityProxy> StartAsync(IReadOnlyDictionary<string, string> instances)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        RouteConfig[] routes = [new() { RouteId = "portal", ClusterId = "portal", Match = new RouteMatch { Path = "{**catch-all}" } }];
        ClusterConfig[] clusters =
        [
            new()
            {
                ClusterId = "portal",
                LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                SessionAffinity = new SessionAffinityConfig { Enabled = true, Policy = "Cookie", FailurePolicy = "Redistribute", AffinityKeyName = ".Test.Affinity" },
                HealthCheck = new HealthCheckConfig
                {
                    Active = new ActiveHealthCheckConfig
                    {
                        Enabled = true,
                        Interval = TimeSpan.FromSeconds(1),
                        Timeout = TimeSpan.FromSeconds(1),
                        Policy = "ConsecutiveFailures",
                        Path = "/healthz/ready",
                    },
                },
                Destinations = instances.ToDictionary(i => i.Key, i => new DestinationConfig { Address = i.Value }),
            },
        ];
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
        var app = builder.Build();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
            proxy.Use((context, next) =>
            {
                var chosen = context.GetReverseProxyFeature().AvailableDestinations is [var one] ? one.DestinationId : "?";
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers[InstanceHeader] = chosen;
                    return Task.CompletedTask;
                });
                return next();
            });
        });
        await app.StartAsync();
        return new AffinityProxy(app, app.Urls.Single().TrimEnd('/') + "/");
    }

    /// <summary>
    /// Waits until the proxy's active health checks have found <paramref name="instance"/> gone, as App Service's health
    /// check does before it sends that instance's browsers elsewhere; until then a request with its affinity gets 502.
    /// </summary>
    public async Task WaitUntilUnhealthyAsync(string instance, TimeSpan timeout)
    {
        var lookup = _app.Services.GetRequiredService<IProxyStateLookup>();
        var until = DateTime.UtcNow + timeout;
        while (!(lookup.TryGetCluster("portal", out var cluster)
            && cluster.Destinations.TryGetValue(instance, out var destination)
            && destination.Health.Active == DestinationHealth.Unhealthy))
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The proxy's health checks did not find instance {instance} gone within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
