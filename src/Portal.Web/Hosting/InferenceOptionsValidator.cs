using Microsoft.Extensions.Options;
using Portal.Playground.Inference;

namespace Portal.Web.Hosting;

/// <summary>Collects every problem with <c>Portal:Inference</c>, so a bad configuration fails at start with all of them.</summary>
internal sealed class InferenceOptionsValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        var failures = new List<string>();
        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add($"{InferenceOptions.SectionName}:Timeout '{options.Timeout}' must be positive, for example 00:01:40.");
        }

        if (options.MaxAnswerChars is < 1_000 or > 10_000_000)
        {
            failures.Add($"{InferenceOptions.SectionName}:MaxAnswerChars '{options.MaxAnswerChars}' must be between 1000 and 10000000 characters, for example 200000.");
        }

        if (options.MaxAnswerDuration <= TimeSpan.Zero || options.MaxAnswerDuration > TimeSpan.FromHours(24))
        {
            failures.Add($"{InferenceOptions.SectionName}:MaxAnswerDuration '{options.MaxAnswerDuration}' must be positive and at most a day, for example 00:10:00.");
        }

        if (!Uri.TryCreate(options.EntraScope, UriKind.Absolute, out _))
        {
            failures.Add($"{InferenceOptions.SectionName}:EntraScope '{options.EntraScope}' must be an absolute URI, for example https://cognitiveservices.azure.com/.default.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
