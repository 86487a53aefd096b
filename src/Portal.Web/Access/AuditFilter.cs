using System.Globalization;
using Portal.Data.Access;

namespace Portal.Web.Access;

/// <summary>
/// What Settings → Audit and <c>/api/audit/export.csv</c> filter on, as their query strings carry it: <c>from</c> and
/// <c>to</c> (ISO dates, UTC days, both included), <c>user</c> (part of the id or name), <c>action</c>, <c>outcome</c>.
/// </summary>
public sealed record AuditFilter(DateOnly? From = null, DateOnly? To = null, string? User = null, string? Action = null, string? Outcome = null)
{
    /// <summary>The actions the filter offers: every <see cref="PortalAction"/>, then sign-in and sign-out.</summary>
    public static IReadOnlyList<string> Actions { get; } = [.. Enum.GetNames<PortalAction>(), AuditLog.SignInAction, AuditLog.SignOutAction];

    public static IReadOnlyList<string> Outcomes { get; } = Enum.GetNames<AuditOutcome>();

    /// <summary>Reads the query string's values; a value that is not a date, action or outcome is left out.</summary>
    public static AuditFilter Parse(string? from, string? to, string? user, string? action, string? outcome) => new(
        ParseDate(from),
        ParseDate(to),
        string.IsNullOrWhiteSpace(user) ? null : user.Trim(),
        Actions.FirstOrDefault(a => string.Equals(a, action?.Trim(), StringComparison.OrdinalIgnoreCase)),
        Outcomes.FirstOrDefault(o => string.Equals(o, outcome?.Trim(), StringComparison.OrdinalIgnoreCase)));

    /// <summary>What is wrong with the query string's values (the HTTP API answers 400 with these; the page ignores them).</summary>
    public static IReadOnlyList<string> Problems(string? from, string? to, string? action, string? outcome)
    {
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(from) && ParseDate(from) is null)
        {
            problems.Add("from must be a date written yyyy-MM-dd.");
        }

        if (!string.IsNullOrWhiteSpace(to) && ParseDate(to) is null)
        {
            problems.Add("to must be a date written yyyy-MM-dd.");
        }

        if (!string.IsNullOrWhiteSpace(action) && !Actions.Contains(action.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"action must be one of {string.Join(", ", Actions)}.");
        }

        if (!string.IsNullOrWhiteSpace(outcome) && !Outcomes.Contains(outcome.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"outcome must be one of {string.Join(", ", Outcomes)}.");
        }

        return problems;
    }

    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>The store's query: from the start of <see cref="From"/> to the end of <see cref="To"/>, in UTC.</summary>
    public AuditQuery ToQuery(int skip = 0, int take = 100) => new(
        From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        User,
        Action,
        Outcome,
        skip,
        take);

    /// <summary>The query string's parts, in a fixed order, empty ones left out (not yet encoded).</summary>
    public List<(string Key, string Value)> QueryParts()
    {
        var parts = new List<(string Key, string Value)>();
        if (From is { } from)
        {
            parts.Add(("from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        if (To is { } to)
        {
            parts.Add(("to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        if (!string.IsNullOrWhiteSpace(User))
        {
            parts.Add(("user", User));
        }

        if (!string.IsNullOrWhiteSpace(Action))
        {
            parts.Add(("action", Action));
        }

        if (!string.IsNullOrWhiteSpace(Outcome))
        {
            parts.Add(("outcome", Outcome));
        }

        return parts;
    }
}
