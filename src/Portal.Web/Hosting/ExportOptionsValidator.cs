using Microsoft.Extensions.Options;
using Portal.Web.Exports;

namespace Portal.Web.Hosting;

/// <summary>Collects every problem with <c>Portal:Exports</c>, so a bad configuration fails at start with all of them.</summary>
internal sealed class ExportOptionsValidator : IValidateOptions<ExportOptions>
{
    public ValidateOptionsResult Validate(string? name, ExportOptions options)
    {
        var failures = new List<string>();
        if (options.MaxConcurrentPerClient < 1)
        {
            failures.Add($"{ExportOptions.SectionName}:MaxConcurrentPerClient '{options.MaxConcurrentPerClient}' must be at least 1, for example 4.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
