using Microsoft.Extensions.Options;

namespace Portal.Web.Hosting;

/// <summary>How instances sharing one store notice each other's changes and share long-running work (<c>Portal:Instances</c>).</summary>
public sealed class InstanceOptions
{
    public const string SectionName = "Portal:Instances";

    /// <summary>How often an instance reads the store's change counters (one single-row read each time).</summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a lease on long-running work (an evaluation run) lasts unless renewed: after an instance dies, another takes its work over this long after its last renewal.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the owner renews its leases, and how often each instance looks for work whose lease lapsed.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);
}

internal sealed class InstanceOptionsValidator : IValidateOptions<InstanceOptions>
{
    public ValidateOptionsResult Validate(string? name, InstanceOptions options)
    {
        var problems = new List<string>();
        if (options.ChangePollInterval < TimeSpan.FromMilliseconds(100) || options.ChangePollInterval > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{InstanceOptions.SectionName}:ChangePollInterval must be between 00:00:00.1 and 00:01:00 (it is {options.ChangePollInterval}).");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(2) || options.LeaseDuration > TimeSpan.FromHours(1))
        {
            problems.Add($"{InstanceOptions.SectionName}:LeaseDuration must be between 00:00:02 and 01:00:00 (it is {options.LeaseDuration}).");
        }

        if (options.LeaseRenewInterval < TimeSpan.FromMilliseconds(100) || options.LeaseRenewInterval > options.LeaseDuration / 2)
        {
            problems.Add($"{InstanceOptions.SectionName}:LeaseRenewInterval must be at least 00:00:00.1 and at most half of LeaseDuration ({options.LeaseDuration / 2}), so one missed renewal does not lose the lease (it is {options.LeaseRenewInterval}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

internal static class InstanceServiceCollectionExtensions
{
    /// <summary>Settings for several instances on one store (change polling, leases); the services themselves are in the store.</summary>
    public static IServiceCollection AddInstanceCoordination(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InstanceOptions>().Bind(configuration.GetSection(InstanceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InstanceOptions>, InstanceOptionsValidator>();
        return services;
    }
}
