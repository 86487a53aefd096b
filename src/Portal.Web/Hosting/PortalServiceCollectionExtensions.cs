using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Data;
using Portal.Web.Benchmarks;
using Portal.Web.Catalog;
using Radzen;

namespace Portal.Web.Hosting;

internal static class PortalServiceCollectionExtensions
{
    public const string ThemeCookieName = "portal-theme";
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>Structured console logging; <c>Logging:Console:FormatterName=json</c> switches to JSON lines.</summary>
    public static WebApplicationBuilder AddPortalLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        return builder;
    }

    /// <summary>Blazor Server with prerendering, Radzen, the theme cookie.</summary>
    public static IServiceCollection AddPortalShell(this IServiceCollection services)
    {
        // Long prompts: a playground box sends its text once, in one message (see PlaygroundRun.MaxTextChars).
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(options => options.MaximumReceiveMessageSize = Portal.Web.Playground.PlaygroundRun.MaxReceiveMessageBytes);
        services.AddRadzenComponents();
        services.AddRadzenCookieThemeService(options =>
        {
            options.Name = ThemeCookieName;
            options.Duration = TimeSpan.FromDays(365);
        });
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<ICurrentUser, LocalUser>();
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
        // Always the portal's own error page (with a correlation id), never a raw exception, in every environment.
        app.UseExceptionHandler("/error", createScopeForErrors: true);

        // Unknown URLs render the portal's own 404 page, with a 404 status.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });

        app.MapOpenApi();
        app.MapCatalogApi();
        app.MapBenchmarkApi();

        app.MapStaticAssets();
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        return app;
    }
}
