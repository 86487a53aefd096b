using Microsoft.Extensions.Options;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Tracing;

namespace Portal.Web.Hosting;

internal static class TracingServiceCollectionExtensions
{
    /// <summary>Whether <c>Portal:Auth:Mode</c> is the default <c>None</c> (read as text: a bad value is the sign-in settings' error to report).</summary>
    private static bool SingleUserMode(IConfiguration configuration) =>
        configuration[$"{AuthOptions.SectionName}:Mode"] is not { Length: > 0 } mode || string.Equals(mode.Trim(), nameof(AuthMode.None), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Every model call recorded (<see cref="TraceRecorder"/> → <see cref="TraceWriter"/> → the store, purged by
    /// <see cref="TraceRetention"/>) and read through <see cref="TraceService"/>. The OpenTelemetry export of the model
    /// calls' spans is <see cref="ObservabilityServiceCollectionExtensions.AddObservability"/>'s.
    /// </summary>
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
        return services;
    }
}
