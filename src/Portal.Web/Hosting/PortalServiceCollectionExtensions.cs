using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Web.Benchmarks;
using Portal.Web.Catalog;
using MudBlazor.Services;
using Portal.Web.Access;
using Portal.Web.Api;
using Portal.Web.Evaluations;
using Portal.Web.Tracing;

namespace Portal.Web.Hosting;

internal static class PortalServiceCollectionExtensions
{
    public const string ThemeCookieName = "portal-theme";
    public const string SidebarCookieName = "portal-sidebar";
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>
    /// Structured console logging; <c>Logging:Console:FormatterName=json</c> switches to JSON lines. SignalR never logs
    /// below Information (<see cref="SensitiveLogFilter"/>); user text goes through <see cref="LogText"/>.
    /// </summary>
    public static WebApplicationBuilder AddPortalLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>, SensitiveLogFilter>();
        return builder;
    }

    /// <summary>Blazor Server with prerendering and the component library; <c>Portal:Circuits</c> bounds disconnected circuits.</summary>
    public static IServiceCollection AddPortalShell(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var circuits = services.AddOptions<CircuitLimitsOptions>();
        if (configuration is not null)
        {
            circuits.Bind(configuration.GetSection(CircuitLimitsOptions.SectionName));
        }

        circuits.ValidateOnStart();
        services.AddSingleton<IValidateOptions<CircuitLimitsOptions>, CircuitLimitsOptionsValidator>();
        // How many disconnected circuits are kept, and for how long, is a setting (Portal:Circuits), applied lazily.
        services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.Components.Server.CircuitOptions>, CircuitLimitsSetup>();
        services.AddRazorComponents().AddInteractiveServerComponents(options =>
        {
            // Set here, not left to the framework's defaults, so a change is a reviewed decision.
            // A JS call (clipboard, scrolling, a module import) that the browser does not answer fails after 30 s.
            options.JSInteropDefaultCallTimeout = TimeSpan.FromSeconds(30);
            // A slow or stalled client holds at most 10 render batches before the server stops rendering for it.
            options.MaxBufferedUnacknowledgedRenderBatches = 10;
        })
            // Long prompts: a playground box sends its text once, in one message (see PlaygroundRun.MaxTextChars).
            .AddHubOptions(options => options.MaximumReceiveMessageSize = Portal.Web.Playground.PlaygroundRun.MaxReceiveMessageBytes);
        services.AddPortalResponseCompression();
        services.AddMudServices();
        services.AddScoped<Components.Controls.BrowserTimeZones>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    public static IServiceCollection AddPortalStorageAndHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPortalStorage(configuration);
        services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: [LiveTag])
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag]);
        return services;
    }

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        // First, so every answer carries them: pages, API, health, static files, error pages.
        app.UsePortalSecurityHeaders();

        // Pages, JSON and CSV compressed (Brotli, else gzip) for clients that accept it; assets come precompressed.
        app.UseResponseCompression();

        // Once shutting down, new requests (a page's circuit reconnecting, above all) are refused with 503 and the
        // connection closed, so none keeps the host waiting for its shutdown timeout.
        var stopping = app.Lifetime.ApplicationStopping;
        app.Use((context, next) =>
        {
            if (!stopping.IsCancellationRequested)
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.Connection = "close";
            context.Response.Headers.RetryAfter = "5";
            return Task.CompletedTask;
        });

        // Always the portal's own error page (with a correlation id), never a raw exception, in every environment.
        app.UseExceptionHandler("/error", createScopeForErrors: true);

        // Unknown URLs render the portal's own 404 page, with a 404 status.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Who is asking (the local Owner when sign-in is off), then: with sign-in on, nothing but health checks, static
        // assets and the sign-in pages answers an anonymous request (the fallback policy).
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        // Per-client limits where an endpoint asks for them (the exports).
        app.UseRateLimiter();

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) }).AllowAnonymous();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
        app.MapPortalAccount();

        app.MapOpenApi();
        app.MapCatalogApi();
        app.MapManageApi();
        app.MapBenchmarkApi();
        app.MapAuditApi();
        app.MapEvaluationDownloads();
        app.MapTracesApi();
        app.MapEvaluationApi();
        app.MapPortalDiagnostics();

        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        return app;
    }
}
