using System.Net;
using Microsoft.Extensions.Options;
using Portal.Azure;

namespace Portal.Web.Hosting;

/// <summary>Collects every problem with <c>Portal:Azure</c>, so a bad configuration fails at start with all of them.</summary>
internal sealed class AzureOptionsValidator : IValidateOptions<AzureOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureOptions options)
    {
        var failures = new List<string>();
        var section = AzureOptions.SectionName;
        if (!options.Endpoint.IsAbsoluteUri
            || (options.Endpoint.Scheme != Uri.UriSchemeHttps && !(IPAddress.TryParse(options.Endpoint.Host, out var ip) && IPAddress.IsLoopback(ip))))
        {
            failures.Add($"{section}:Endpoint '{options.Endpoint}' must be an absolute https URL (Resource Manager's bearer tokens are only sent over TLS).");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{section}:PollInterval '{options.PollInterval}' must be positive, for example 00:00:05.");
        }

        if (options.MaxWait <= TimeSpan.Zero)
        {
            failures.Add($"{section}:MaxWait '{options.MaxWait}' must be positive, for example 01:00:00.");
        }

        if (options.CacheDuration < TimeSpan.Zero)
        {
            failures.Add($"{section}:CacheDuration '{options.CacheDuration}' cannot be negative.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{section}:MaxRetries '{options.MaxRetries}' must be between 0 and 10.");
        }

        for (var i = 0; i < options.Subscriptions.Count; i++)
        {
            if (!Guid.TryParse(options.Subscriptions[i], out _))
            {
                failures.Add($"{section}:Subscriptions:{i} '{options.Subscriptions[i]}' is not a subscription id (a GUID).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
