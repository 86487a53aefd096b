using System.Text.RegularExpressions;
using Portal.Catalog;

namespace Portal.Web.FineTuning;

/// <summary>A base model a connection offers for fine-tuning: the catalog's model and the name the provider knows it by.</summary>
public sealed record BaseModelOption(string CatalogId, string DisplayName, string ProviderModel, IReadOnlyList<string> Tasks)
{
    public string Label => string.Equals(CatalogId, ProviderModel, StringComparison.OrdinalIgnoreCase) ? DisplayName : $"{DisplayName} ({ProviderModel})";
}

/// <summary>
/// Which of a connection's models are fine-tunable base models of the catalog. A connection's entry matches a catalog
/// model by its id or an alias (case aside, and <c>gpt-3.5-turbo</c> as <c>gpt-35-turbo</c>), or as a dated or numbered
/// version of it: <c>gpt-4o-mini-2024-07-18</c> is <c>gpt-4o-mini</c>, <c>gpt-4-0613</c> is <c>gpt-4</c>; but
/// <c>gpt-4o-mini</c> is not a version of <c>gpt-4o</c>.
/// </summary>
public static partial class FineTuningBaseModels
{
    public static IReadOnlyList<BaseModelOption> Offered(IEnumerable<string> connectionModels, IReadOnlyList<CatalogModel> catalog)
    {
        ArgumentNullException.ThrowIfNull(connectionModels);
        ArgumentNullException.ThrowIfNull(catalog);
        var tunable = catalog.Where(m => m.FineTuningTasks.Count > 0).ToList();
        var offered = new List<BaseModelOption>();
        foreach (var entry in connectionModels.Select(m => m.Trim()).Where(m => m.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (Match(entry, tunable) is { } model)
            {
                offered.Add(new BaseModelOption(model.Id, model.DisplayName, entry, model.FineTuningTasks));
            }
        }

        return offered;
    }

    /// <summary>The catalog model <paramref name="providerModel"/> names, or null.</summary>
    public static CatalogModel? Match(string providerModel, IReadOnlyList<CatalogModel> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var name = Normalize(providerModel);
        CatalogModel? best = null;
        foreach (var model in catalog)
        {
            foreach (var id in model.Aliases.Prepend(model.Id).Select(Normalize))
            {
                if (name == id)
                {
                    return model;
                }

                if (name.StartsWith(id + "-", StringComparison.Ordinal) && Version().IsMatch(name[(id.Length + 1)..]) && (best is null || id.Length > Normalize(best.Id).Length))
                {
                    best = model;
                }
            }
        }

        return best;
    }

    private static string Normalize(string name) => name.Trim().ToLowerInvariant().Replace("gpt-3.5", "gpt-35", StringComparison.Ordinal);

    /// <summary>A date (2024-07-18), a four-digit version (0613, 1106), optionally with a suffix like <c>-preview</c>.</summary>
    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}|\d{4})(-[a-z]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Version();
}
