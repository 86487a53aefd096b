using System.Globalization;

namespace Portal.Catalog.Query;

/// <summary>
/// An immutable, precomputed view of the merged catalog that answers <see cref="CatalogQuery"/>s.
/// <para>
/// Per query it makes one pass over the models: text match, then each selected facet is tested. A model that fails no
/// facet is a result and counts towards every facet; a model that fails exactly one facet counts towards that facet
/// only — which gives each facet's counts under the other facets' filters, as a faceted search shows them. Results are
/// then read off orders sorted once at build time, so only the visible page is materialised.
/// </para>
/// </summary>
public sealed class CatalogIndex
{
    private readonly CatalogModel[] _models;
    private readonly string[] _searchText;
    private readonly FacetColumn[] _facets;
    private readonly int[][] _orders;
    private readonly Dictionary<string, int> _byId;

    public CatalogIndex(IEnumerable<CatalogModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        _models = [.. models];
        _byId = new Dictionary<string, int>(_models.Length, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _models.Length; i++)
        {
            _byId.TryAdd(_models[i].Id, i);
        }

        _searchText = [.. _models.Select(SearchText)];
        _facets = [.. CatalogFacets.All.Select(definition => new FacetColumn(definition, _models))];

        var byName = Enumerable.Range(0, _models.Length)
            .OrderBy(i => _models[i].DisplayName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(i => _models[i].Id, StringComparer.Ordinal)
            .ToArray();
        var nameRank = new int[_models.Length];
        for (var r = 0; r < byName.Length; r++)
        {
            nameRank[byName[r]] = r;
        }

        _orders = new int[3][];
        _orders[(int)CatalogSort.Name] = byName;
        _orders[(int)CatalogSort.ContextWindow] = [.. byName
            .OrderBy(i => _models[i].ContextWindowTokens is null ? 1 : 0)
            .ThenByDescending(i => _models[i].ContextWindowTokens ?? 0)
            .ThenBy(i => nameRank[i])];
        _orders[(int)CatalogSort.Newest] = [.. byName
            .Select(i => (Index: i, Date: ReleaseSortKey(_models[i].ReleaseDate)))
            .OrderBy(x => x.Date is null ? 1 : 0)
            .ThenByDescending(x => x.Date ?? DateOnly.MinValue)
            .ThenBy(x => nameRank[x.Index])
            .Select(x => x.Index)];
    }

    public static CatalogIndex Empty { get; } = new([]);

    public int Count => _models.Length;

    public IReadOnlyList<CatalogModel> Models => _models;

    public CatalogModel? Find(string id) => _byId.TryGetValue(id, out var i) ? _models[i] : null;

    /// <summary>The catalog's spelling of a facet value, or null when no model has it.</summary>
    public string? CanonicalValue(Facet facet, string value) =>
        _facets[(int)facet].Ids.TryGetValue(value, out var id) ? _facets[(int)facet].Values[id] : null;

    public CatalogSearchResult Search(CatalogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);

        var (matched, total, counts) = CountMatches(query);

        var pageSize = Math.Clamp(query.PageSize, 1, CatalogQuery.MaxPageSize);
        var skip = (long)(Math.Max(1, query.Page) - 1) * pageSize;
        var items = skip < total ? InOrder(matched, query.Sort, skip, pageSize) : [];

        var facets = new FacetResult[_facets.Length];
        for (var f = 0; f < _facets.Length; f++)
        {
            facets[f] = _facets[f].Result(counts[f], query.SelectedValues(_facets[f].Definition.Facet), query.FacetLimit, text: null);
        }

        return new CatalogSearchResult(total, Math.Max(1, query.Page), pageSize, items, facets);
    }

    /// <summary>
    /// One facet's values whose label or value contains <paramref name="text"/> (case-insensitive; every value when empty),
    /// counted under the query's other filters as <see cref="Search"/> counts them: at most <paramref name="limit"/> of
    /// them, those with the most models. <see cref="FacetResult.DistinctCount"/> says how many match.
    /// </summary>
    public FacetResult SearchFacet(CatalogQuery query, Facet facet, string? text, int? limit)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (_, _, counts) = CountMatches(query);
        return _facets[(int)facet].Result(counts[(int)facet], query.SelectedValues(facet), limit,
            string.IsNullOrWhiteSpace(text) ? null : text.Trim());
    }

    /// <summary>Which models the query matches, how many, and each facet's value counts under the other facets' filters.</summary>
    private (bool[] Matched, int Total, int[][] Counts) CountMatches(CatalogQuery query)
    {
        var tokens = Tokens(query.Text);
        var filters = Filters(query);

        var counts = new int[_facets.Length][];
        for (var f = 0; f < _facets.Length; f++)
        {
            counts[f] = new int[_facets[f].Values.Length];
        }

        var matched = new bool[_models.Length];
        var total = 0;
        for (var i = 0; i < _models.Length; i++)
        {
            if (tokens.Length > 0 && !MatchesText(_searchText[i], tokens))
            {
                continue;
            }

            var failed = -1;
            var failures = 0;
            foreach (var (facet, selected) in filters)
            {
                if (!AnySelected(_facets[facet].ModelValues[i], selected))
                {
                    failed = facet;
                    if (++failures > 1)
                    {
                        break;
                    }
                }
            }

            if (failures == 0)
            {
                matched[i] = true;
                total++;
                for (var f = 0; f < _facets.Length; f++)
                {
                    foreach (var v in _facets[f].ModelValues[i])
                    {
                        counts[f][v]++;
                    }
                }
            }
            else if (failures == 1)
            {
                foreach (var v in _facets[failed].ModelValues[i])
                {
                    counts[failed][v]++;
                }
            }
        }

        return (matched, total, counts);
    }

    /// <summary>Every model the query matches, in its sort order, without paging or facet counts (for exports).</summary>
    public IReadOnlyList<CatalogModel> AllMatches(CatalogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var tokens = Tokens(query.Text);
        var filters = Filters(query);
        var matched = new bool[_models.Length];
        var total = 0;
        for (var i = 0; i < _models.Length; i++)
        {
            if ((tokens.Length == 0 || MatchesText(_searchText[i], tokens))
                && filters.TrueForAll(f => AnySelected(_facets[f.Facet].ModelValues[i], f.Selected)))
            {
                matched[i] = true;
                total++;
            }
        }

        return InOrder(matched, query.Sort, 0, total);
    }

    private List<CatalogModel> InOrder(bool[] matched, CatalogSort sort, long skip, int take)
    {
        var items = new List<CatalogModel>(take);
        var seen = 0L;
        foreach (var i in _orders[(int)sort])
        {
            if (!matched[i] || seen++ < skip)
            {
                continue;
            }

            if (items.Count == take)
            {
                break;
            }

            items.Add(_models[i]);
        }

        return items;
    }

    /// <summary>The selected value ids of each facet that filters; unknown values select nothing (and so match nothing).</summary>
    private List<(int Facet, bool[] Selected)> Filters(CatalogQuery query)
    {
        var filters = new List<(int Facet, bool[] Selected)>();
        foreach (var (facet, values) in query.Selected)
        {
            if (values.Count == 0)
            {
                continue;
            }

            var column = _facets[(int)facet];
            var selected = new bool[column.Values.Length];
            foreach (var value in values)
            {
                if (column.Ids.TryGetValue(value, out var id))
                {
                    selected[id] = true;
                }
            }

            filters.Add(((int)facet, selected));
        }

        return filters;
    }

    private static bool AnySelected(int[] valueIds, bool[] selected)
    {
        foreach (var v in valueIds)
        {
            if (selected[v])
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesText(string text, string[] tokens)
    {
        foreach (var token in tokens)
        {
            if (!text.Contains(token, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string[] Tokens(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : [.. text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct()];

    private static string SearchText(CatalogModel m) =>
        string.Join('\n', [m.Id, m.DisplayName, .. m.Aliases, m.Publisher ?? "", m.Description ?? ""]).ToLowerInvariant();

    /// <summary>Release dates as printed: "2024-04-18", or "August 2024" (read as the first of the month).</summary>
    internal static DateOnly? ReleaseSortKey(string? printed)
    {
        if (string.IsNullOrWhiteSpace(printed))
        {
            return null;
        }

        if (DateOnly.TryParseExact(printed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        return DateOnly.TryParseExact(printed, ["MMMM yyyy", "yyyy-MM", "yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            ? month
            : null;
    }

    /// <summary>One facet's distinct values and, per model, the ids of the values it has.</summary>
    private sealed class FacetColumn
    {
        public FacetColumn(FacetDefinition definition, CatalogModel[] models)
        {
            Definition = definition;
            Ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var values = new List<string>();
            ModelValues = new int[models.Length][];
            for (var i = 0; i < models.Length; i++)
            {
                var ids = new List<int>();
                foreach (var value in definition.Values(models[i]))
                {
                    if (!Ids.TryGetValue(value, out var id))
                    {
                        id = values.Count;
                        Ids[value] = id;
                        values.Add(value);
                    }

                    if (!ids.Contains(id))
                    {
                        ids.Add(id);
                    }
                }

                ModelValues[i] = [.. ids];
            }

            Values = [.. values];
            Order = definition.Facet == Facet.ContextWindow
                ? [.. Enumerable.Range(0, Values.Length).OrderBy(v => IndexOf(CatalogFacets.ContextBuckets, Values[v]))]
                : [.. Enumerable.Range(0, Values.Length).OrderBy(v => Values[v] == CatalogFacets.Unknown ? 1 : 0).ThenBy(v => Values[v], StringComparer.OrdinalIgnoreCase)];
        }

        public FacetDefinition Definition { get; }

        public Dictionary<string, int> Ids { get; }

        public string[] Values { get; }

        public int[][] ModelValues { get; }

        private int[] Order { get; }

        /// <summary>
        /// Values with models under the current filters, plus every selected value so it can be cleared; with
        /// <paramref name="text"/>, only those whose label or value contains it. Past <paramref name="limit"/> values, only
        /// the ones with the most models (ties by label) are kept — and, without text, every selected value too.
        /// </summary>
        public FacetResult Result(int[] counts, IReadOnlyList<string> selected, int? limit, string? text)
        {
            var isSelected = new bool[Values.Length];
            foreach (var value in selected)
            {
                if (Ids.TryGetValue(value, out var id))
                {
                    isSelected[id] = true;
                }
            }

            var candidates = new List<FacetValueCount>();
            foreach (var v in Order)
            {
                if (counts[v] > 0 || isSelected[v])
                {
                    var label = Definition.Label(Values[v]);
                    if (Matches(text, Values[v], label))
                    {
                        candidates.Add(new FacetValueCount(Values[v], label, counts[v], isSelected[v]));
                    }
                }
            }

            // A selected value no model has (API only) is still reported, with 0.
            foreach (var value in selected.Where(s => !Ids.ContainsKey(s) && Matches(text, s, s)))
            {
                candidates.Add(new FacetValueCount(value, value, 0, true));
            }

            if (limit is not { } max || candidates.Count <= max)
            {
                return new FacetResult(Definition.Facet, Definition.Parameter, Definition.Title, candidates, candidates.Count);
            }

            var kept = candidates
                .OrderByDescending(c => c.Count)
                .ThenBy(c => c.Label, StringComparer.OrdinalIgnoreCase)
                .ThenBy(c => c.Value, StringComparer.Ordinal)
                .Take(Math.Max(0, max))
                .ToHashSet();
            var listed = candidates.Where(c => kept.Contains(c) || (text is null && c.Selected)).ToList();
            return new FacetResult(Definition.Facet, Definition.Parameter, Definition.Title, listed, candidates.Count);
        }

        private static bool Matches(string? text, string value, string label) =>
            text is null
            || label.Contains(text, StringComparison.OrdinalIgnoreCase)
            || value.Contains(text, StringComparison.OrdinalIgnoreCase);

        private static int IndexOf(IReadOnlyList<string> list, string value)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] == value)
                {
                    return i;
                }
            }

            return list.Count;
        }
    }
}
