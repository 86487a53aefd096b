using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Portal.Azure;
using Portal.Catalog.Sources;
using Portal.Web.Access;
using Portal.Web.Azure;

namespace Portal.Web.Hosting;

internal static class AzureServiceCollectionExtensions
{
    /// <summary>Tests replace the credential by registering a <see cref="TokenCredential"/> under this key.</summary>
    public const string CredentialKey = "arm";

    /// <summary>The ARM client and service that act with the portal's own credential.</summary>
    public const string ServerKey = "server";

    /// <summary>
    /// Azure Resource Manager: the credential (DefaultAzureCredential unless a test registers one), the ARM client,
    /// discovery, deployments, and the catalog source over the team's registries and projects.
    /// </summary>
    public static IServiceCollection AddAzure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AzureOptions>().Bind(configuration.GetSection(AzureOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AzureOptions>, AzureOptionsValidator>();
        services.AddKeyedSingleton<TokenCredential>(CredentialKey, (sp, _) => new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            TenantId = sp.GetRequiredService<IOptions<AzureOptions>>().Value.TenantId,
            AuthorityHost = sp.GetRequiredService<IOptions<AzureOptions>>().Value.Endpoint.Host.EndsWith(".usgovcloudapi.net", StringComparison.OrdinalIgnoreCase) ? AzureAuthorityHosts.AzureGovernment
                : sp.GetRequiredService<IOptions<AzureOptions>>().Value.Endpoint.Host.EndsWith(".chinacloudapi.cn", StringComparison.OrdinalIgnoreCase) ? AzureAuthorityHosts.AzureChina
                : AzureAuthorityHosts.AzurePublicCloud,
        }));
        // The portal's own identity: the catalog source over the team's registries, and every Azure page unless users
        // sign in with Microsoft Entra ID.
        services.AddKeyedSingleton(ServerKey, (sp, _) => new ArmRestClient(
            sp.GetRequiredService<IOptions<AzureOptions>>(),
            sp.GetRequiredKeyedService<TokenCredential>(CredentialKey),
            sp.GetService<HttpPipelineTransport>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddKeyedSingleton(ServerKey, (sp, _) => new AzureService(sp.GetRequiredKeyedService<ArmRestClient>(ServerKey), sp.GetRequiredService<TimeProvider>()));

        // Entra ID sign-in: each user's pages call Azure with the user's own token (and keep their own discovery cache).
        var mode = AuthOptions.Read(configuration).Mode;
        if (mode == AuthMode.EntraId)
        {
            services.AddScoped<UserArmCredential>();
            services.AddScoped(sp => new AzureService(
                new ArmRestClient(
                    sp.GetRequiredService<IOptions<AzureOptions>>(),
                    sp.GetRequiredService<UserArmCredential>(),
                    sp.GetService<HttpPipelineTransport>(),
                    sp.GetRequiredService<TimeProvider>()),
                sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            services.AddScoped(sp => sp.GetRequiredKeyedService<AzureService>(ServerKey));
        }

        services.AddScoped<AzureContext>();
        services.AddScoped<IDeploymentConnectionStore, DeploymentConnectionStore>();
        services.AddScoped<DeploymentConnections>();
        services.AddScoped<AzureActions>();
        services.AddSingleton(Portal.Web.AiServices.AiServicesDirectory.Load());
        services.AddSingleton<ICatalogSource>(sp => new AzureCatalogSource(sp.GetRequiredKeyedService<AzureService>(ServerKey)));
        services.AddSingleton<ICatalogSource>(sp => new AzureOpenAICatalogSource(sp.GetRequiredKeyedService<AzureService>(ServerKey), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
