using Microsoft.Extensions.Options;
using Portal.Web.Evaluations;

namespace Portal.Web.Hosting;

internal static class EvaluationServiceCollectionExtensions
{
    /// <summary>Datasets, evaluation runs and the background runner that runs (and resumes) them.</summary>
    public static IServiceCollection AddEvaluations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EvaluationOptions>().Bind(configuration.GetSection(EvaluationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EvaluationOptions>, EvaluationOptionsValidator>();
        services.AddSingleton<EvaluationRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<EvaluationRunner>());
        services.AddScoped<IDatasetService, DatasetService>();
        services.AddScoped<IEvaluationService, EvaluationService>();
        return services;
    }
}
