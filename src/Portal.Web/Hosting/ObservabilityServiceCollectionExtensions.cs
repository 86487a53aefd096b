using Azure.Monitor.OpenTelemetry.AspNetCore;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Portal.Data;
using Portal.Web.Observability;
using Portal.Web.Tracing;

namespace Portal.Web.Hosting;

internal static class ObservabilityServiceCollectionExtensions
{
    /// <summary>The standard OpenTelemetry setting that turns the OTLP export on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard Application Insights setting that turns the Azure Monitor export on.</summary>
    public const string AzureMonitorKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary><c>service.name</c> (Application Insights' cloud role name).</summary>
    public const string ServiceName = "model-catalog-portal";

    /// <summary>Blazor's own circuit meter (ASP.NET Core 10): active and connected circuits, circuit duration.</summary>
    public const string CircuitsMeterName = "Microsoft.AspNetCore.Components.Server.Circuits";

    /// <summary>
    /// The portal's own meter (<see cref="PortalMetrics"/>, always there, cheap while nobody listens), and OpenTelemetry
    /// traces, metrics and logs — ASP.NET Core, HttpClient, EF Core, .NET runtime, model calls
    /// (<see cref="ModelCallTelemetry.SourceName"/>) and the portal's meter — exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, to Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is
    /// set, to both when both are. With neither, no OpenTelemetry provider is registered at all (no SDK overhead) and
    /// the portal starts offline.
    /// <para>
    /// Nothing secret is exported: HttpClient and ASP.NET Core spans carry no headers and redact URL query values, EF
    /// Core spans carry no parameter values, model call spans never the key, and log records pass the same filters as
    /// every other log provider (<see cref="SensitiveLogFilter"/>).
    /// </para>
    /// </summary>
    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.TryAddSingleton<PortalMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitMetricsHandler>());

        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        var azureMonitor = !string.IsNullOrWhiteSpace(configuration[AzureMonitorKey]);
        if (!otlp && !azureMonitor)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(ModelCallTelemetry.SourceName)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/_framework", StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(PortalMeter.Name)
                .AddMeter(CircuitsMeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithLogging();

        if (otlp)
        {
            // Endpoint, protocol (grpc or http/protobuf), headers and intervals come from the standard OTEL_* settings.
            telemetry.UseOtlpExporter();
        }

        if (azureMonitor)
        {
            telemetry.UseAzureMonitor(options =>
            {
                options.ConnectionString = configuration[AzureMonitorKey];
                // Every trace, as over OTLP: the distro's default rate limit (a few traces a second) would drop model
                // calls behind the store commands and requests of a busy second.
                options.TracesPerSecond = null;
                options.SamplingRatio = 1.0F;
            });
        }

        return services;
    }
}
