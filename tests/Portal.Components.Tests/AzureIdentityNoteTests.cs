using Portal.Web.Components.Controls;

namespace Portal.Components.Tests;

/// <summary>Settings → Azure says whose identity Azure sees, as the sign-in mode decides.</summary>
public sealed class AzureIdentityNoteTests
{
    [Theory]
    [InlineData(null, "Sign-in is off, so everyone who reaches this portal acts in Azure with that identity.")]
    [InlineData("Oidc", "its own identity, the same for everyone who signs in")]
    [InlineData("EntraId", "as you, with your Microsoft Entra ID sign-in")]
    public async Task SaysWhichIdentityAzureSees(string? mode, string expected)
    {
        var settings = mode switch
        {
            "Oidc" => new Dictionary<string, string?>
            {
                ["Portal:Auth:Mode"] = "Oidc",
                ["Portal:Auth:Oidc:Authority"] = "https://login.example.test",
                ["Portal:Auth:Oidc:ClientId"] = "portal",
            },
            "EntraId" => new Dictionary<string, string?>
            {
                ["Portal:Auth:Mode"] = "EntraId",
                ["AzureAd:TenantId"] = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
                ["AzureAd:ClientId"] = "11111111-2222-3333-4444-555555555555",
                ["AzureAd:ClientSecret"] = "never-shown",
            },
            _ => new Dictionary<string, string?>(),
        };
        await using var context = new Context(settings);

        var note = context.Render<AzureIdentityNote>();

        var text = System.Text.RegularExpressions.Regex.Replace(note.Find("[data-testid=azure-identity]").TextContent, @"\s+", " ");
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    private sealed class Context(Dictionary<string, string?> settings) : PortalBunitContext(null, settings);
}
