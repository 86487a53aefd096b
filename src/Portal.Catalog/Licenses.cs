namespace Portal.Catalog;

public enum CommercialUse
{
    /// <summary>The licence is a permissive open-source licence that allows commercial use.</summary>
    Allowed,

    /// <summary>The licence's own name says non-commercial.</summary>
    NotAllowed,

    /// <summary>A custom or model-specific licence: its terms decide.</summary>
    SeeTerms,

    /// <summary>No licence was found in the sources.</summary>
    Unknown,
}

/// <summary>
/// What can be said about commercial use from the licence identifier alone. Only the standard permissive licences
/// (MIT, Apache 2.0) and licences named non-commercial get a definite answer; everything else points to its terms.
/// </summary>
public static class Licenses
{
    public static CommercialUse CommercialUseOf(string? license)
    {
        if (string.IsNullOrWhiteSpace(license))
        {
            return CommercialUse.Unknown;
        }

        var id = license.Trim().ToLowerInvariant();
        if (id is "mit" or "apache-2.0")
        {
            return CommercialUse.Allowed;
        }

        return id.Contains("-nc", StringComparison.Ordinal) || id.Contains("non-commercial", StringComparison.Ordinal) || id.Contains("noncommercial", StringComparison.Ordinal)
            ? CommercialUse.NotAllowed
            : CommercialUse.SeeTerms;
    }

    public static string Describe(CommercialUse use) => use switch
    {
        CommercialUse.Allowed => "Commercial use allowed (permissive licence)",
        CommercialUse.NotAllowed => "Non-commercial licence",
        CommercialUse.SeeTerms => "Commercial use: see the licence terms",
        _ => "Licence unknown",
    };
}
