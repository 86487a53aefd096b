using Portal.Web.Hosting;

namespace Portal.Web;

/// <summary>
/// Builds the portal. Tests pass <c>configureBuilder</c> to replace outside clients or settings before the app is built.
/// </summary>
public static class PortalWebApplication
{
    public const string DefaultUrl = "http://localhost:5080";

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

        builder.AddPortalLogging();
        builder.Services.AddPortalShell();
        builder.Services.AddPortalStorageAndHealth(builder.Configuration);
        builder.Services.AddCatalog();
        builder.Services.AddPlayground(builder.Configuration);
        builder.Services.AddAzure(builder.Configuration);

        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        app.UsePortalPipeline();
        return app;
    }
}
