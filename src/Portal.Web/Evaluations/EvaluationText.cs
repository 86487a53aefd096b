using System.Globalization;

namespace Portal.Web.Evaluations;

/// <summary>How the evaluation pages write times, scores, latencies and statuses (invariant culture, UTC).</summary>
public static class EvaluationText
{
    public static string When(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A score: 0–1 scorers as a percentage, 1–5 judge grades with two decimals.</summary>
    public static string Score(double? value, bool judge) => value is not { } v ? "—"
        : judge ? v.ToString("0.00", CultureInfo.InvariantCulture)
        : (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    /// <summary>The 95 % interval in the same unit as <see cref="Score"/>.</summary>
    public static string Interval(double? low, double? high, bool judge) => low is { } l && high is { } h
        ? $"95 % CI {Score(l, judge)}–{Score(h, judge)}"
        : "no interval";

    public static string Ms(double? ms) => ms is not { } v ? "—"
        : v >= 10_000 ? (v / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : v.ToString("N0", CultureInfo.InvariantCulture) + " ms";

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Usd(double? value) => value is not { } v ? "—"
        : v < 0.01 ? "$" + v.ToString("0.####", CultureInfo.InvariantCulture)
        : "$" + v.ToString("N2", CultureInfo.InvariantCulture);

    public static string Eta(TimeSpan? eta) => eta is not { } t ? "—"
        : t.TotalHours >= 1 ? $"about {(int)t.TotalHours} h {t.Minutes} min"
        : t.TotalMinutes >= 1 ? $"about {(int)t.TotalMinutes} min {t.Seconds} s"
        : $"about {Math.Max(1, (int)Math.Ceiling(t.TotalSeconds))} s";

    public static string Status(EvaluationStatus status) => status switch
    {
        EvaluationStatus.Queued => "Queued",
        EvaluationStatus.Running => "Running",
        EvaluationStatus.Completed => "Completed",
        EvaluationStatus.Failed => "Failed",
        EvaluationStatus.Cancelled => "Cancelled",
        _ => status.ToString(),
    };

    public static MudBlazor.Color StatusColor(EvaluationStatus status) => status switch
    {
        EvaluationStatus.Completed => MudBlazor.Color.Success,
        EvaluationStatus.Failed => MudBlazor.Color.Error,
        EvaluationStatus.Running => MudBlazor.Color.Info,
        _ => MudBlazor.Color.Default,
    };

    public static bool IsFinished(EvaluationStatus status) => status is EvaluationStatus.Completed or EvaluationStatus.Failed or EvaluationStatus.Cancelled;

    public static string Target(TargetSummary target) => $"{target.Model} · {target.Connection}";

    public static string DatasetLabel(string name, int? version) => version is { } v ? $"{name} v{v}" : name;
}
