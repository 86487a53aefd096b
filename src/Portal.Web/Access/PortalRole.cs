namespace Portal.Web.Access;

/// <summary>
/// Azure AI Foundry's four roles, in increasing order of what they allow: each role has every permission of the ones
/// before it (the matrix is <see cref="PortalPermissions"/>).
/// </summary>
public enum PortalRole
{
    Reader = 1,
    AzureAIDeveloper = 2,
    Contributor = 3,
    Owner = 4,
}

public static class PortalRoles
{
    public static IReadOnlyList<PortalRole> All { get; } = [PortalRole.Reader, PortalRole.AzureAIDeveloper, PortalRole.Contributor, PortalRole.Owner];

    public static string Label(this PortalRole role) => role switch
    {
        PortalRole.AzureAIDeveloper => "Azure AI Developer",
        _ => role.ToString(),
    };

    /// <summary>
    /// Reads a role as a provider's token or the configuration writes it: the enum name, the label, or the label without
    /// spaces, in any case ("Owner", "azure ai developer", "AzureAIDeveloper", "Azure.AI.Developer" is not one).
    /// </summary>
    public static bool TryParse(string? text, out PortalRole role)
    {
        role = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var compact = text.Replace(" ", "", StringComparison.Ordinal).Trim();
        foreach (var candidate in All)
        {
            if (string.Equals(compact, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        return false;
    }
}
