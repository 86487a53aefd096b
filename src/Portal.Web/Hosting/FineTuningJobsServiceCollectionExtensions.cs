using Microsoft.Extensions.Options;
using Portal.Web.FineTuning;

namespace Portal.Web.Hosting;

internal static class FineTuningJobsServiceCollectionExtensions
{
    /// <summary>Fine-tuning jobs: the service pages use, and the background follower that reads unfinished jobs (and resumes them after a restart).</summary>
    public static IServiceCollection AddFineTuningJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FineTuningOptions>().Bind(configuration.GetSection(FineTuningOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FineTuningOptions>, FineTuningOptionsValidator>();
        services.AddSingleton<FineTuningChanges>();
        services.AddSingleton<OwnerTargets>();
        services.AddSingleton<FineTuningFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<FineTuningFollower>());
        services.AddScoped<FineTuningService>();
        return services;
    }
}
