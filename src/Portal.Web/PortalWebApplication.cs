using Portal.Web.Api;
using Microsoft.Extensions.Options;
using Portal.Web.Hosting;

namespace Portal.Web;

/// <summary>
/// Builds the portal. Tests pass <c>configureBuilder</c> to replace outside clients or settings before the app is built.
/// </summary>
public static class PortalWebApplication
{
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>
    /// Builds and runs the portal until it is stopped. A bad setting stops it before it listens: one line per problem on
    /// <paramref name="error"/> (standard error), naming the setting and what is wrong with its value, and exit code 1.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? error = null)
    {
        error ??= Console.Error;
        WebApplication app;
        try
        {
            app = Create(args);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // Configuration binding names the setting ("Failed to convert configuration value at 'Portal:…'"); a
            // content root or web root that does not exist names the folder.
            await error.WriteLineAsync($"The portal cannot start: {ex.Message}");
            return 1;
        }

        await using (app)
        {
            try
            {
                app.Services.GetRequiredService<IStartupValidator>().Validate();
            }
            catch (OptionsValidationException ex)
            {
                foreach (var failure in ex.Failures)
                {
                    await error.WriteLineAsync($"The portal cannot start: {failure}");
                }

                return 1;
            }

            await app.RunAsync();
            return 0;
        }
    }

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Tests start the app from their own folder; the web project's name locates its static web assets.
            ApplicationName = typeof(PortalWebApplication).Assembly.GetName().Name,
        });

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        AllowedHostsDefaults.Apply(builder.Configuration, builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? DefaultUrl);

        builder.AddPortalLogging();
        builder.Services.AddPortalShell(builder.Configuration);
        builder.Services.AddPortalAzureSignalR(builder.Configuration);
        builder.Services.AddPortalAuth(builder.Configuration);
        builder.Services.AddManageApi();
        builder.Services.AddPortalStorageAndHealth(builder.Configuration);
        builder.Services.AddInstanceCoordination(builder.Configuration);
        builder.Services.AddCatalog();
        builder.Services.AddExports(builder.Configuration);
        builder.Services.AddPlayground(builder.Configuration);
        builder.Services.AddTracing(builder.Configuration);
        builder.Services.AddObservability(builder.Configuration);
        builder.Services.AddGracefulShutdown(builder.Configuration);
        builder.Services.AddEvaluations(builder.Configuration);
        builder.Services.AddFineTuningJobs(builder.Configuration);
        builder.Services.AddAzure(builder.Configuration);

        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        app.UsePortalPipeline();
        return app;
    }
}
