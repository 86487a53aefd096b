using Microsoft.Extensions.Options;
using Portal.Playground.Inference;
using Portal.Playground.Outbound;

namespace Portal.Web.Connections;

/// <summary>
/// One connection declared in configuration (<c>Portal:Connections:0:Name</c>, or
/// <c>Portal__Connections__0__Endpoint</c> as an environment variable), for headless deployments.
/// </summary>
public sealed class ConfiguredConnection
{
    public string? Name { get; set; }

    /// <summary>AzureOpenAI, AzureAIFoundry, OpenAI, GitHubModels or OpenAICompatible (the default).</summary>
    public string? Kind { get; set; }

    public string? Endpoint { get; set; }

    /// <summary>Optional: with no key the connection sends none, unless <see cref="Auth"/> is EntraId.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Optional: ApiKey, EntraId or None; inferred from <see cref="ApiKey"/> when left out.</summary>
    public string? Auth { get; set; }

    public List<string> Models { get; set; } = [];
}

public sealed class ConnectionsOptions
{
    public const string SectionName = "Portal:Connections";

    public List<ConfiguredConnection> Items { get; set; } = [];
}

/// <summary>Every declared connection must be usable; a bad one stops the portal at start and is named.</summary>
internal sealed class ConnectionsOptionsValidator(OutboundUrlPolicy policy) : IValidateOptions<ConnectionsOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectionsOptions options)
    {
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Items.Count; i++)
        {
            var item = options.Items[i];
            var where = $"{ConnectionsOptions.SectionName}:{i}";
            if (string.IsNullOrWhiteSpace(item.Name))
            {
                errors.Add($"{where}:Name is required.");
            }
            else if (!names.Add(item.Name.Trim()))
            {
                errors.Add($"{where}:Name '{item.Name}' is declared twice.");
            }

            if (item.Kind is { Length: > 0 } kind && !Enum.TryParse<ConnectionKind>(kind, ignoreCase: true, out _))
            {
                errors.Add($"{where}:Kind '{kind}' is not one of {string.Join(", ", Enum.GetNames<ConnectionKind>())}.");
            }

            if (item.Auth is { Length: > 0 } auth && !Enum.TryParse<ConnectionAuth>(auth, ignoreCase: true, out _))
            {
                errors.Add($"{where}:Auth '{auth}' is not one of {string.Join(", ", Enum.GetNames<ConnectionAuth>())}.");
            }

            if (!Uri.TryCreate(item.Endpoint, UriKind.Absolute, out var endpoint))
            {
                errors.Add(string.IsNullOrWhiteSpace(item.Endpoint)
                    ? $"{where}:Endpoint is required."
                    : $"{where}:Endpoint '{item.Endpoint}' is not an absolute URL: start it with http:// or https://.");
            }
            else if (policy.Check(endpoint) is { } refused)
            {
                errors.Add($"{where}:Endpoint is not allowed. {refused}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
