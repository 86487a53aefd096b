using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace Portal.Web.Hosting;

/// <summary>
/// <c>Portal:Circuits</c>: how much memory disconnected circuits may hold. A circuit whose connection dropped (sleep, a
/// network change, a closed laptop) is kept so the page can resume; these bound how many and for how long.
/// </summary>
public sealed class CircuitLimitsOptions
{
    public const string SectionName = "Portal:Circuits";

    /// <summary>At most this many disconnected circuits are kept; beyond it the oldest is freed first.</summary>
    public int DisconnectedMaxRetained { get; set; } = 50;

    /// <summary>How long a disconnected circuit can be resumed before it is freed.</summary>
    public TimeSpan DisconnectedRetentionPeriod { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>Collects every problem with <c>Portal:Circuits</c>, so a bad configuration fails at start with all of them.</summary>
internal sealed class CircuitLimitsOptionsValidator : IValidateOptions<CircuitLimitsOptions>
{
    public const int MaxRetainedCeiling = 10_000;

    public ValidateOptionsResult Validate(string? name, CircuitLimitsOptions options)
    {
        var failures = new List<string>();
        if (options.DisconnectedMaxRetained is < 0 or > MaxRetainedCeiling)
        {
            failures.Add($"{CircuitLimitsOptions.SectionName}:DisconnectedMaxRetained '{options.DisconnectedMaxRetained}' must be between 0 and {MaxRetainedCeiling}, for example 50.");
        }

        if (options.DisconnectedRetentionPeriod < TimeSpan.Zero || options.DisconnectedRetentionPeriod > TimeSpan.FromHours(1))
        {
            failures.Add($"{CircuitLimitsOptions.SectionName}:DisconnectedRetentionPeriod '{options.DisconnectedRetentionPeriod}' must be between 00:00:00 and 01:00:00, for example 00:02:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Applies <see cref="CircuitLimitsOptions"/> to Blazor's <see cref="CircuitOptions"/> when those are first asked for (not while the pipeline is built).</summary>
internal sealed class CircuitLimitsSetup(IOptions<CircuitLimitsOptions> limits) : IConfigureOptions<CircuitOptions>
{
    public void Configure(CircuitOptions options)
    {
        var value = limits.Value;
        options.DisconnectedCircuitMaxRetained = value.DisconnectedMaxRetained;
        options.DisconnectedCircuitRetentionPeriod = value.DisconnectedRetentionPeriod;
    }
}
