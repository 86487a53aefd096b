using System.Globalization;
using Portal.Data.Tracing;
using Portal.Playground.Inference;

namespace Portal.Web.Tracing;

/// <summary>
/// What <c>/traces</c> and <c>/api/traces</c> filter on, as their query strings carry it: <c>model</c>,
/// <c>connection</c>, <c>feature</c>, <c>operation</c>, <c>status</c>, <c>user</c> (with the ReadAllTraces permission),
/// <c>q</c> (text in the request, response or error), <c>from</c>/<c>to</c> (ISO dates, UTC days both included, or
/// date-times) and, on the page, <c>range</c> (the last 1h, 24h, 7d or 30d).
/// </summary>
public sealed record TraceFilter
{
    public static IReadOnlyList<string> Ranges { get; } = ["1h", "24h", "7d", "30d"];

    public static IReadOnlyList<string> Operations { get; } = [ModelCallOperations.Chat, ModelCallOperations.TextCompletion, ModelCallOperations.GenerateContent];

    public static IReadOnlyList<string> Features { get; } =
    [
        ModelCallFeatures.Chat, ModelCallFeatures.Completions, ModelCallFeatures.Images, ModelCallFeatures.Compare,
        ModelCallFeatures.Evaluation, ModelCallFeatures.Judge, ModelCallFeatures.Probe, ModelCallFeatures.ConnectionTest,
    ];

    public string? Model { get; init; }

    public string? Connection { get; init; }

    public string? Feature { get; init; }

    public string? Operation { get; init; }

    public string? Status { get; init; }

    public string? User { get; init; }

    public string? Text { get; init; }

    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive: a date means the end of that day.</summary>
    public DateTimeOffset? To { get; init; }

    public string? Range { get; init; }

    /// <summary>Reads the query string's values; a value that is not valid is left out (the page ignores it, the API reports it).</summary>
    public static TraceFilter Parse(string? model, string? connection, string? feature, string? operation, string? status, string? user, string? q, string? from, string? to, string? range = null) => new()
    {
        Model = Clean(model),
        Connection = Clean(connection),
        Feature = Features.FirstOrDefault(f => string.Equals(f, feature?.Trim(), StringComparison.OrdinalIgnoreCase)),
        Operation = Operations.FirstOrDefault(o => string.Equals(o, operation?.Trim(), StringComparison.OrdinalIgnoreCase)),
        Status = TraceStatus.All.FirstOrDefault(s => string.Equals(s, status?.Trim(), StringComparison.OrdinalIgnoreCase)),
        User = Clean(user),
        Text = Clean(q),
        From = ParseTime(from, endOfDay: false),
        To = ParseTime(to, endOfDay: true),
        Range = Ranges.FirstOrDefault(r => string.Equals(r, range?.Trim(), StringComparison.OrdinalIgnoreCase)),
    };

    /// <summary>What is wrong with the query string's values, each naming its field (the HTTP API answers 400 with these).</summary>
    public static Dictionary<string, string[]> Problems(string? feature, string? operation, string? status, string? from, string? to, string? limit)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(feature) && !Features.Contains(feature.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            problems["feature"] = [$"feature must be one of {string.Join(", ", Features)}."];
        }

        if (!string.IsNullOrWhiteSpace(operation) && !Operations.Contains(operation.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            problems["operation"] = [$"operation must be one of {string.Join(", ", Operations)}."];
        }

        if (!string.IsNullOrWhiteSpace(status) && !TraceStatus.All.Contains(status.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            problems["status"] = [$"status must be one of {string.Join(", ", TraceStatus.All)}."];
        }

        foreach (var (name, value) in new[] { ("from", from), ("to", to) })
        {
            if (!string.IsNullOrWhiteSpace(value) && ParseTime(value, false) is null)
            {
                problems[name] = [$"{name} must be an ISO 8601 date (2026-12-01, a UTC day) or date-time (2026-12-01T09:30:00Z)."];
            }
        }

        if (ParseTime(from, false) is { } f && ParseTime(to, true) is { } t && t <= f)
        {
            problems["to"] = ["to must be after from."];
        }

        if (!string.IsNullOrWhiteSpace(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 500))
        {
            problems["limit"] = ["limit must be a whole number from 1 to 500."];
        }

        return problems;
    }

    /// <summary>A date (a UTC day: its start, or for <paramref name="endOfDay"/> the start of the next) or a date-time with an offset (UTC when none).</summary>
    public static DateTimeOffset? ParseTime(string? text, bool endOfDay)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset((endOfDay ? date.AddDays(1) : date).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        return value.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }

    /// <summary>The store's query for <paramref name="userId"/> (null: everyone), at <paramref name="now"/> (for <see cref="Range"/>).</summary>
    public TraceQuery ToQuery(string? userId, DateTimeOffset now, int skip, int take) => new()
    {
        UserId = userId,
        Model = Model,
        Connection = Connection,
        Feature = Feature,
        Operation = Operation,
        Status = Status,
        Text = Text,
        FromUtc = Range is { } range ? Later(From, now - RangeSpan(range)) : From,
        ToUtc = To,
        Skip = skip,
        Take = take,
    };

    public static TimeSpan RangeSpan(string range) => range switch
    {
        "1h" => TimeSpan.FromHours(1),
        "24h" => TimeSpan.FromDays(1),
        "7d" => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(30),
    };

    /// <summary>The query string's parts, in a fixed order, empty ones left out (not yet encoded).</summary>
    public List<(string Key, string Value)> QueryParts()
    {
        var parts = new List<(string Key, string Value)>();
        Add(parts, "model", Model);
        Add(parts, "connection", Connection);
        Add(parts, "feature", Feature);
        Add(parts, "operation", Operation);
        Add(parts, "status", Status);
        Add(parts, "user", User);
        Add(parts, "q", Text);
        Add(parts, "from", From?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add(parts, "to", To?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add(parts, "range", Range);
        return parts;
    }

    private static void Add(List<(string Key, string Value)> parts, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            parts.Add((key, value));
        }
    }

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
