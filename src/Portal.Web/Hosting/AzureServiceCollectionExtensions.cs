using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Portal.Azure;
using Portal.Catalog.Sources;
using Portal.Web.Azure;

namespace Portal.Web.Hosting;

internal static class AzureServiceCollectionExtensions
{
    /// <summary>Tests replace the credential by registering a <see cref="TokenCredential"/> under this key.</summary>
    public const string CredentialKey = "arm";

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
        services.AddSingleton(sp => new ArmRestClient(
            sp.GetRequiredService<IOptions<AzureOptions>>(),
            sp.GetRequiredKeyedService<TokenCredential>(CredentialKey),
            sp.GetService<HttpPipelineTransport>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AzureService>();
        services.AddScoped<AzureContext>();
        services.AddScoped<IDeploymentConnectionStore, DeploymentConnectionStore>();
        services.AddScoped<DeploymentConnections>();
        services.AddSingleton<ICatalogSource, AzureCatalogSource>();
        return services;
    }
}
