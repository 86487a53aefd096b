using Microsoft.Extensions.Options;

namespace Portal.Web.Tracing;

/// <summary>Settings of the model-call traces (<c>Portal:Tracing</c>).</summary>
public sealed class TracingOptions
{
    public const string SectionName = "Portal:Tracing";

    /// <summary>Traces older than this are deleted (at start, then daily).</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>
    /// Whether prompts and answers are kept with the traces and put on the OpenTelemetry spans. Off: only timings,
    /// tokens, parameters, finish reasons and errors are recorded. When the setting is absent it is on in the
    /// single-user mode (<c>Portal:Auth:Mode=None</c>) and off with sign-in on.
    /// </summary>
    public bool CaptureContent { get; set; } = true;
}

/// <summary>Collects every problem with <c>Portal:Tracing</c>, so a bad configuration fails at start with all of them.</summary>
internal sealed class TracingOptionsValidator : IValidateOptions<TracingOptions>
{
    public ValidateOptionsResult Validate(string? name, TracingOptions options) =>
        options.RetentionDays is < 1 or > 36500
            ? ValidateOptionsResult.Fail($"{TracingOptions.SectionName}:RetentionDays '{options.RetentionDays}' must be between 1 and 36500 days, for example 30.")
            : ValidateOptionsResult.Success;
}
