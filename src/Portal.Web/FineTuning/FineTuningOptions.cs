using Microsoft.Extensions.Options;

namespace Portal.Web.FineTuning;

/// <summary>How the portal follows fine-tuning jobs (<c>Portal:FineTuning</c>).</summary>
public sealed class FineTuningOptions
{
    public const string SectionName = "Portal:FineTuning";

    /// <summary>How often each unfinished job is read from its provider (status, new events, metrics, checkpoints).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after a 429 that gave no Retry-After, before that connection is read again.</summary>
    public TimeSpan RateLimitWait { get; set; } = TimeSpan.FromSeconds(30);
}

internal sealed class FineTuningOptionsValidator : IValidateOptions<FineTuningOptions>
{
    public ValidateOptionsResult Validate(string? name, FineTuningOptions options)
    {
        var problems = new List<string>();
        if (options.PollInterval < TimeSpan.FromMilliseconds(50) || options.PollInterval > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{FineTuningOptions.SectionName}:PollInterval must be between 00:00:00.050 and 00:10:00 (it is {options.PollInterval}).");
        }

        if (options.RateLimitWait < TimeSpan.Zero || options.RateLimitWait > TimeSpan.FromMinutes(30))
        {
            problems.Add($"{FineTuningOptions.SectionName}:RateLimitWait must be between 00:00:00 and 00:30:00 (it is {options.RateLimitWait}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
