using System.Collections.Frozen;

namespace Portal.Catalog;

/// <summary>
/// Azure regions by the name the APIs use (<c>swedencentral</c>) and the name people read ("Sweden Central").
/// <para>
/// Source: the public locations of <c>Azure.Core.AzureLocation</c> (Azure SDK for .NET, Azure.Core 1.60.0, the version the portal uses,
/// https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/core/Azure.Core/src/AzureLocation.cs); a test keeps this
/// map equal to it. A region not listed is shown by its API name.
/// </para>
/// </summary>
public static class AzureRegions
{
    public const string Source = "https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/core/Azure.Core/src/AzureLocation.cs";

    public static IReadOnlyDictionary<string, string> DisplayNames { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["eastasia"] = "East Asia",
        ["southeastasia"] = "Southeast Asia",
        ["centralus"] = "Central US",
        ["eastus"] = "East US",
        ["eastus2"] = "East US 2",
        ["westus"] = "West US",
        ["westus2"] = "West US 2",
        ["westus3"] = "West US 3",
        ["northcentralus"] = "North Central US",
        ["southcentralus"] = "South Central US",
        ["northeurope"] = "North Europe",
        ["westeurope"] = "West Europe",
        ["japanwest"] = "Japan West",
        ["japaneast"] = "Japan East",
        ["brazilsouth"] = "Brazil South",
        ["australiaeast"] = "Australia East",
        ["australiasoutheast"] = "Australia Southeast",
        ["southindia"] = "South India",
        ["centralindia"] = "Central India",
        ["westindia"] = "West India",
        ["canadacentral"] = "Canada Central",
        ["canadaeast"] = "Canada East",
        ["uksouth"] = "UK South",
        ["ukwest"] = "UK West",
        ["westcentralus"] = "West Central US",
        ["koreacentral"] = "Korea Central",
        ["koreasouth"] = "Korea South",
        ["francecentral"] = "France Central",
        ["francesouth"] = "France South",
        ["australiacentral"] = "Australia Central",
        ["australiacentral2"] = "Australia Central 2",
        ["uaecentral"] = "UAE Central",
        ["uaenorth"] = "UAE North",
        ["southafricanorth"] = "South Africa North",
        ["southafricawest"] = "South Africa West",
        ["swedencentral"] = "Sweden Central",
        ["swedensouth"] = "Sweden South",
        ["switzerlandnorth"] = "Switzerland North",
        ["switzerlandwest"] = "Switzerland West",
        ["germanynorth"] = "Germany North",
        ["germanywestcentral"] = "Germany West Central",
        ["germanycentral"] = "Germany Central",
        ["germanynortheast"] = "Germany Northeast",
        ["norwaywest"] = "Norway West",
        ["norwayeast"] = "Norway East",
        ["brazilsoutheast"] = "Brazil Southeast",
        ["chinanorth"] = "China North",
        ["chinaeast"] = "China East",
        ["chinanorth2"] = "China North 2",
        ["chinanorth3"] = "China North 3",
        ["chinaeast2"] = "China East 2",
        ["chinaeast3"] = "China East 3",
        ["qatarcentral"] = "Qatar Central",
        ["usdodcentral"] = "US DoD Central",
        ["usdodeast"] = "US DoD East",
        ["usgovarizona"] = "US Gov Arizona",
        ["usgovtexas"] = "US Gov Texas",
        ["usgovvirginia"] = "US Gov Virginia",
        ["usgoviowa"] = "US Gov Iowa",
        ["israelcentral"] = "Israel Central",
        ["italynorth"] = "Italy North",
        ["polandcentral"] = "Poland Central",
        ["mexicocentral"] = "Mexico Central",
        ["spaincentral"] = "Spain Central",
        ["indonesiacentral"] = "Indonesia Central",
        ["newzealandnorth"] = "New Zealand North",
        ["malaysiawest"] = "Malaysia West",
        ["denmarkeast"] = "Denmark East",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>"Sweden Central" for <c>swedencentral</c>; the API's name itself when the region is not in the map.</summary>
    public static string DisplayName(string name) =>
        DisplayNames.TryGetValue(name, out var display) ? display : name;
}
