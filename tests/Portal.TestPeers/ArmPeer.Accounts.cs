using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portal.TestPeers;

/// <summary>
/// Account faults for Settings → Azure and the services directory: <c>locked-openai</c> answers 403
/// AuthorizationFailed to <c>listKeys</c> (the caller may read the account but not its keys, as with the Reader role in
/// Azure), and a test can turn an account's local authentication off (<see cref="SetLocalAuthDisabled"/>).
/// </summary>
public sealed partial class ArmPeer
{
    public const string LockedAccountName = "locked-openai";

    /// <summary>Sets the account's <c>disableLocalAuth</c> (Microsoft Entra ID only when true).</summary>
    public void SetLocalAuthDisabled(string accountName, bool disabled)
    {
        if (Resource(AccountId(accountName))?["properties"] is JsonObject properties)
        {
            properties["disableLocalAuth"] = disabled;
        }
    }

    private static async Task<bool> HandleAccountsAsync(HttpContext context, string method, string path)
    {
        if (method == "POST" && string.Equals(path, AccountId(LockedAccountName) + "/listKeys", StringComparison.OrdinalIgnoreCase))
        {
            await Error(context, 403, "AuthorizationFailed",
                $"The client 'portal-test' with object id '00000000-0000-0000-0000-00000000abcd' does not have authorization to perform action 'Microsoft.CognitiveServices/accounts/listKeys/action' over scope '{path[..^"/listKeys".Length]}' or the scope is invalid. If access was recently granted, please refresh your credentials.").ConfigureAwait(false);
            return true;
        }

        return false;
    }
}
