using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Portal.Playground.Inference;
using Portal.Playground.Outbound;
using Portal.Web.Connections;
using Portal.Web.Playground;

namespace Portal.Web.Hosting;

internal static class PlaygroundServiceCollectionExtensions
{
    /// <summary>
    /// Connections (stored encrypted, or declared in configuration), the outbound URL policy, inference through the
    /// OpenAI SDK and the playground sessions.
    /// </summary>
    public static IServiceCollection AddPlayground(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKeyProtection(configuration);

        services.AddOptions<OutboundOptions>().Bind(configuration.GetSection(OutboundOptions.SectionName));
        services.AddOptions<InferenceOptions>().Bind(configuration.GetSection(InferenceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InferenceOptions>, InferenceOptionsValidator>();
        services.AddOptions<ConnectionsOptions>()
            .Configure(o => o.Items = configuration.GetSection(ConnectionsOptions.SectionName).Get<List<ConfiguredConnection>>() ?? [])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConnectionsOptions>, ConnectionsOptionsValidator>();

        services.AddSingleton<OutboundUrlPolicy>();
        services.AddSingleton<Func<TokenCredential>>(sp => () => new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            TenantId = sp.GetRequiredService<IOptions<InferenceOptions>>().Value.TenantId,
        }));
        services.AddSingleton(sp => new InferenceClientFactory(
            sp.GetRequiredService<OutboundUrlPolicy>(),
            sp.GetRequiredService<IOptions<InferenceOptions>>(),
            sp.GetRequiredService<Func<TokenCredential>>()));
        services.AddSingleton<InferenceService>();
        services.AddSingleton(sp => new Portal.Playground.FineTuning.FineTuningClient(
            sp.GetRequiredService<OutboundUrlPolicy>(),
            sp.GetRequiredService<IOptions<InferenceOptions>>(),
            sp.GetRequiredService<Func<TokenCredential>>()));
        services.AddScoped<ConnectionService>();
        services.AddScoped<Portal.Web.FineTuning.FineTuningCompareService>();
        services.AddScoped<Portal.Web.FineTuning.TrainingFileService>();
        services.AddSingleton<Portal.Web.FineTuning.FineTuningCost>();
        services.AddScoped<PlaygroundSessions>();
        services.AddSingleton<StreamRunner>();
        services.AddScoped<Portal.Web.Evaluations.PerformanceProbe>();
        services.AddSingleton<PlaygroundShutdown>();
        services.AddHostedService(sp => sp.GetRequiredService<PlaygroundShutdown>());
        return services;
    }
}
