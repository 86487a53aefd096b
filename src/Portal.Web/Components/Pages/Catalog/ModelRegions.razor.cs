using Microsoft.AspNetCore.Components;
using Portal.Catalog;

namespace Portal.Web.Components.Pages.Catalog;

/// <summary>
/// A model's region facts as a table (region, version, deployment SKUs, lifecycle, source), or — when it has none — a
/// sentence saying so, never an implied "everywhere".
/// </summary>
public sealed partial class ModelRegions
{
    [Parameter, EditorRequired]
    public required CatalogModel Model { get; set; }

    private bool IsAzureOpenAI => string.Equals(Model.Collection, "Azure OpenAI", StringComparison.OrdinalIgnoreCase);

    /// <summary>By region name as people read it, newest version first.</summary>
    private IEnumerable<RegionAvailability> Rows => Model.Regions
        .OrderBy(r => AzureRegions.DisplayName(r.Region), StringComparer.OrdinalIgnoreCase)
        .ThenByDescending(r => r.Version, StringComparer.Ordinal);

    /// <summary>"Deprecating · inference ends 2026-12-20" in the API's own terms.</summary>
    internal static string Lifecycle(RegionAvailability row)
    {
        var parts = new List<string>();
        if (row.LifecycleStatus is { Length: > 0 } status)
        {
            parts.Add(StatusLabel(status));
        }

        if (row.InferenceDeprecationDate is { } inference)
        {
            parts.Add($"inference deprecation {CatalogLabels.Date(inference)}");
        }

        if (row.FineTuneDeprecationDate is { } fineTune)
        {
            parts.Add($"fine-tuning deprecation {CatalogLabels.Date(fineTune)}");
        }

        return parts.Count == 0 ? "—" : string.Join(" · ", parts);
    }

    /// <summary>The API's lifecycle status in words: GenerallyAvailable → "Generally available".</summary>
    internal static string StatusLabel(string status) => status switch
    {
        "GenerallyAvailable" => "Generally available",
        _ => status,
    };

    private static string SourceText(RegionAvailability row) =>
        row.AsOf is { } asOf ? $"{row.Source}, {CatalogLabels.DateTime(asOf)}" : row.Source;
}
