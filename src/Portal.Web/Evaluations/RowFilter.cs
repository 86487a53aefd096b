namespace Portal.Web.Evaluations;

/// <summary>
/// Which rows of a run the page shows: <see cref="Show"/> is <c>all</c>, <c>disagree</c> or <c>wrong:&lt;target index&gt;</c>,
/// judged by <see cref="Scorer"/> (the run's first when null); kept in the address.
/// </summary>
public sealed record RowFilter(string Show = "all", string? Scorer = null, string? Search = null, int Page = 1);
