using Microsoft.Extensions.Options;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Tracing;

namespace Portal.Web.Hosting;

internal static class TracingServiceCollectionExtensions
{
    /// <summary>The standard OpenTelemetry setting that turns the OTLP export on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Every model call recorded (<see cref="TraceRecorder"/> → <see cref="TraceWriter"/> → the store, purged by
    /// <see cref="TraceRetention"/>) and read through <see cref="TraceService"/>; OpenTelemetry spans (model calls,
    /// ASP.NET Core, HttpClient) exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set — otherwise no
    /// tracer is registered at all, nothing is exported and the portal starts offline.
    /// </summary>
    /// <summary>Whether <c>Portal:Auth:Mode</c> is the default <c>None</c> (read as text: a bad value is the sign-in settings' error to report).</summary>
    private static bool SingleUserMode(IConfiguration configuration) =>
        configuration[$"{AuthOptions.SectionName}:Mode"] is not { Length: > 0 } mode || string.Equals(mode.Trim(), nameof(AuthMode.None), StringComparison.OrdinalIgnoreCase);

    public static IServiceCollection AddTracing(this IServiceCollection services, IConfiguration configuration)
    {
        // Content capture is on by default in the embedded single-user mode; with sign-in on, where Owners read everyone's
        // traces, it is off unless Portal:Tracing:CaptureContent turns it on (the setting, when present, always wins).
        services.AddOptions<TracingOptions>()
            .Configure(options => options.CaptureContent = SingleUserMode(configuration))
            .Bind(configuration.GetSection(TracingOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TracingOptions>, TracingOptionsValidator>();
        services.AddSingleton<TraceRecorder>();
        services.AddSingleton<IModelCallObserver>(sp => sp.GetRequiredService<TraceRecorder>());
        services.AddSingleton<TraceWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<TraceWriter>());
        services.AddSingleton<TraceRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<TraceRetention>());
        services.AddScoped<TraceService>();

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("model-catalog-portal"))
                .WithTracing(tracing => tracing
                    .AddSource(ModelCallTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/_framework", StringComparison.Ordinal))
                    .AddHttpClientInstrumentation()
                    .AddOtlpExporter());
        }

        return services;
    }
}
