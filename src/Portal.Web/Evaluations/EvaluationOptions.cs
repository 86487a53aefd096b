using Microsoft.Extensions.Options;

namespace Portal.Web.Evaluations;

/// <summary>How evaluation runs retry and report (<c>Portal:Evaluations</c>).</summary>
public sealed class EvaluationOptions
{
    public const string SectionName = "Portal:Evaluations";

    /// <summary>Tries per answer (the first and its retries) on 429, 5xx, timeouts and dropped connections.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The longest wait a 429's Retry-After may ask for; a longer one fails the answer (and the target's rest) with the reason.</summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait before retrying a 5xx, a timeout or a dropped connection; doubled on each further try.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many runs go on at once; more wait in the queue.</summary>
    public int MaxParallelRuns { get; set; } = 2;
}

internal sealed class EvaluationOptionsValidator : IValidateOptions<EvaluationOptions>
{
    public ValidateOptionsResult Validate(string? name, EvaluationOptions options)
    {
        var problems = new List<string>();
        if (options.MaxAttempts is < 1 or > 10)
        {
            problems.Add($"{EvaluationOptions.SectionName}:MaxAttempts must be 1-10 (it is {options.MaxAttempts}).");
        }

        if (options.MaxRetryWait < TimeSpan.Zero || options.MaxRetryWait > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{EvaluationOptions.SectionName}:MaxRetryWait must be between 00:00:00 and 00:10:00 (it is {options.MaxRetryWait}).");
        }

        if (options.RetryBackoff < TimeSpan.Zero || options.RetryBackoff > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{EvaluationOptions.SectionName}:RetryBackoff must be between 00:00:00 and 00:01:00 (it is {options.RetryBackoff}).");
        }

        if (options.MaxParallelRuns is < 1 or > 16)
        {
            problems.Add($"{EvaluationOptions.SectionName}:MaxParallelRuns must be 1-16 (it is {options.MaxParallelRuns}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
