using System.Globalization;
using Portal.Data.Tracing;

namespace Portal.Web.Tracing;

/// <summary>How traces' numbers are written on the pages, each with its source ("estimated", "unofficial community price").</summary>
public static class TraceText
{
    public static string Ms(double? ms) => ms is { } v
        ? v < 1000 ? v.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : (v / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s"
        : "—";

    public static string Tokens(TraceRow trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.InputTokens is null && trace.OutputTokens is null)
        {
            return "—";
        }

        var text = $"{Number(trace.InputTokens)} / {Number(trace.OutputTokens)}";
        return trace.TokensEstimated ? text + " (estimated)" : text;
    }

    /// <summary>"≈ $0.0012" or "≈ $0.001–$0.002"; null when no price is known.</summary>
    public static string? CostShort(TraceRow trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return trace.CostLowUsd is { } low && trace.CostHighUsd is { } high
            ? "≈ " + (low == high ? Usd(low) : $"{Usd(low)}–{Usd(high)}")
            : null;
    }

    /// <summary>The cost with its source, for the detail page.</summary>
    public static string Cost(TraceRow trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return CostShort(trace) is { } cost
            ? $"{cost} (estimated from the unofficial community price for {trace.CostModel ?? trace.Model}{(trace.TokensEstimated ? ", with estimated tokens" : "")})"
            : "— (no community price for this model in the catalog)";
    }

    public static string Usd(double value) => "$" + value.ToString(value < 0.01 ? "0.######" : "0.####", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset when) => when.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Number(int? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "—";
}
