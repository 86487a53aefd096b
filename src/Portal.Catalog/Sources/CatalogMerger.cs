using System.Globalization;

namespace Portal.Catalog.Sources;

/// <summary>
/// Merges models from several sources into one per id. The first source's values are shown; every source is kept in
/// <see cref="CatalogModel.Provenance"/>, and fields the sources disagree on become <see cref="FieldConflict"/>s.
/// </summary>
public static class CatalogMerger
{
    private static readonly (string Field, Func<CatalogModel, string?> Value)[] Compared =
    [
        ("display_name", m => m.DisplayName),
        ("publisher", m => m.Publisher),
        ("collection", m => m.Collection),
        ("license", m => m.License),
        ("context_window_tokens", m => m.ContextWindowTokens?.ToString("N0", CultureInfo.InvariantCulture)),
        ("max_output_tokens", m => m.MaxOutputTokens?.ToString("N0", CultureInfo.InvariantCulture)),
        ("parameter_count", m => m.ParameterCount),
        ("release_date", m => m.ReleaseDate),
        ("inference_tasks", m => m.InferenceTasks.Count == 0 ? null : string.Join(", ", m.InferenceTasks)),
        ("fine_tuning_tasks", m => m.FineTuningTasks.Count == 0 ? null : string.Join(", ", m.FineTuningTasks)),
        ("deployment", m => m.Deployment is null ? null : $"managed compute: {YesNo(m.Deployment.ManagedCompute)}, serverless API: {YesNo(m.Deployment.ServerlessApi)}"),
    ];

    /// <param name="layers">Each source's models, in source order.</param>
    public static IReadOnlyList<CatalogModel> Merge(IEnumerable<IReadOnlyList<CatalogModel>> layers)
    {
        var byId = new Dictionary<string, List<CatalogModel>>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var model in layers.SelectMany(l => l))
        {
            if (!byId.TryGetValue(model.Id, out var list))
            {
                byId[model.Id] = list = [];
                order.Add(model.Id);
            }

            list.Add(model);
        }

        return [.. order.Select(id => MergeOne(byId[id]))];
    }

    private static CatalogModel MergeOne(List<CatalogModel> versions)
    {
        if (versions.Count == 1)
        {
            return versions[0];
        }

        var primary = versions[0];
        var conflicts = new List<FieldConflict>();
        foreach (var (field, value) in Compared)
        {
            var distinct = versions
                .Select(v => (Value: value(v), Source: v.Provenance.Count > 0 ? v.Provenance[0].SourceName : "unknown source"))
                .Where(v => v.Value is not null)
                .ToList();
            if (distinct.Select(v => v.Value).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                conflicts.Add(new FieldConflict(field, [.. distinct.Select(v => new ConflictingValue(v.Value!, v.Source))]));
            }
        }

        return primary with
        {
            Provenance = [.. versions.SelectMany(v => v.Provenance)],
            Conflicts = [.. primary.Conflicts, .. conflicts],

            // Facts the first source lacks are filled from the others; their provenance is listed.
            Publisher = primary.Publisher ?? versions.Select(v => v.Publisher).FirstOrDefault(p => p is not null),
            License = primary.License ?? versions.Select(v => v.License).FirstOrDefault(p => p is not null),
            ContextWindowTokens = primary.ContextWindowTokens ?? versions.Select(v => v.ContextWindowTokens).FirstOrDefault(p => p is not null),
            Description = primary.Description ?? versions.Select(v => v.Description).FirstOrDefault(p => p is not null),
            Collection = primary.Collection ?? versions.Select(v => v.Collection).FirstOrDefault(p => p is not null),
            InferenceTasks = primary.InferenceTasks.Count > 0 ? primary.InferenceTasks : versions.Select(v => v.InferenceTasks).FirstOrDefault(t => t.Count > 0) ?? [],
            FineTuningTasks = primary.FineTuningTasks.Count > 0 ? primary.FineTuningTasks : versions.Select(v => v.FineTuningTasks).FirstOrDefault(t => t.Count > 0) ?? [],
            Versions = MergeVersions(versions),
            Sources = [.. versions.SelectMany(v => v.Sources).Distinct(StringComparer.Ordinal)],

            // Region facts are facts of their own source each (a location's models API, on a date): all are kept.
            Regions = [.. versions.SelectMany(v => v.Regions)],
        };
    }

    /// <summary>
    /// The first source's versions as printed ("2024-08-06 (output 16,384; structured outputs)"), then every version
    /// another source names that none printed so far starts with ("2024-11-20" is already in "2024-11-20 (preview)").
    /// </summary>
    private static List<string> MergeVersions(List<CatalogModel> versions)
    {
        var merged = new List<string>();
        foreach (var version in versions.SelectMany(v => v.Versions))
        {
            if (!merged.Exists(m => m.Equals(version, StringComparison.OrdinalIgnoreCase)
                || m.StartsWith(version + " ", StringComparison.OrdinalIgnoreCase)))
            {
                merged.Add(version);
            }
        }

        return merged;
    }

    private static string YesNo(bool? value) => value switch { true => "yes", false => "no", null => "unknown" };
}
