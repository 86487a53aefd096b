using System.Globalization;
using System.Text;
using Portal.Azure;

namespace Portal.Web.FineTuning;

/// <summary>
/// The rules of deploying a fine-tuned model on Azure OpenAI: Azure deploys it as model <c>{format: OpenAI, name: &lt;the
/// fine-tuned model's id&gt;, version: "1"}</c> with a Standard or Global standard SKU (Azure's "Deploy a fine-tuned
/// model" documentation), into the account that trained it — the account behind the job's connection, found by its
/// endpoint's host.
/// </summary>
public static class FineTunedDeployment
{
    /// <summary>The version Azure gives every fine-tuned model.</summary>
    public const string ModelVersion = "1";

    /// <summary>The deployment types offered for a fine-tuned model, first the default.</summary>
    public static IReadOnlyList<(string Sku, string Label, string Explanation)> Skus { get; } =
    [
        ("Standard", "Standard", "pay per token, processed in the account's region."),
        ("GlobalStandard", "Global standard", "pay per token, may be processed in any Azure region (not offered for every base model or region)."),
    ];

    /// <summary>What Azure's documentation says a deployed fine-tuned model costs and how long it stays.</summary>
    public const string HostingNote =
        "Azure bills an hourly hosting fee for every deployed fine-tuned model, used or not, and deletes a fine-tuned deployment that gets no calls for 15 days (the model itself stays and can be deployed again) — from Azure OpenAI's \"Deploy a fine-tuned model\" documentation.";

    /// <summary>The accounts serving OpenAI models whose endpoint (or one of its endpoints) has the connection's host.</summary>
    public static IReadOnlyList<AzureAIAccount> AccountsFor(IEnumerable<AzureAIAccount> accounts, Uri connectionEndpoint)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(connectionEndpoint);
        var host = connectionEndpoint.Host;
        return [.. accounts.Where(a => a.ServesOpenAI && Hosts(a).Contains(host, StringComparer.OrdinalIgnoreCase))];
    }

    private static IEnumerable<string> Hosts(AzureAIAccount account)
    {
        foreach (var address in new[] { account.Endpoint, account.OpenAIV1Endpoint?.AbsoluteUri }.Concat(account.Endpoints.Values))
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                yield return uri.Host;
            }
        }
    }

    /// <summary>A deployment name from the job (its suffix, else the base model) that is valid and not yet taken.</summary>
    public static string DefaultName(string baseModel, string? suffix, IReadOnlySet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        var raw = $"{baseModel}-ft{(string.IsNullOrWhiteSpace(suffix) ? "" : "-" + suffix)}";
        var name = new StringBuilder();
        foreach (var c in raw)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        var text = name.ToString().Trim('-', '.', '_');
        text = text.Length > 56 ? text[..56] : text;
        if (AzureService.CheckDeploymentName(text) is not null)
        {
            text = "fine-tuned";
        }

        if (!taken.Contains(text))
        {
            return text;
        }

        for (var i = 2; ; i++)
        {
            var candidate = string.Create(CultureInfo.InvariantCulture, $"{text}-{i}");
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>How to do it by hand, when the portal cannot find the account (Azure not set up, or another subscription).</summary>
    public static string ByHand(string fineTunedModel, Uri connectionEndpoint)
    {
        ArgumentNullException.ThrowIfNull(connectionEndpoint);
        return $"Or deploy it in the Azure portal (Azure AI Foundry → Fine-tuning → the model → Deploy): model {fineTunedModel}, deployment type Standard. " +
            $"Then add a connection of kind Azure OpenAI in Settings → Connections with endpoint https://{connectionEndpoint.Host}/openai/v1/, the account's key, and the deployment's name as its model.";
    }
}
