using System.Globalization;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;

namespace Portal.Web.FineTuning;

/// <summary>How fine-tuning facts are put in words on the pages.</summary>
public static class FineTuningText
{
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalSeconds < 60 ? $"{Math.Max(0, (int)Math.Round(span.TotalSeconds))} s"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{(int)span.TotalDays} days {span.Hours} h";
    }

    /// <summary>A provider's refusal as a sentence, with the provider's own words when it gave any.</summary>
    public static string Describe(InferenceError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return string.IsNullOrWhiteSpace(error.ProviderMessage) || error.Message.Contains(error.ProviderMessage, StringComparison.Ordinal)
            ? error.Message
            : $"{error.Message} The provider said: {error.ProviderMessage}";
    }

    public static string State(FineTuningState state) => FineTuningStates.Label(state);

    public static string Method(FineTuningMethod method) => method == FineTuningMethod.Dpo ? "Preference (DPO)" : "Supervised";

    public static string Hyper(HyperValue value) => value.Auto ? "automatic" : value.Value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "—";

    public static string When(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "—";
}
