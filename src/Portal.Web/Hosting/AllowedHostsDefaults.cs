namespace Portal.Web.Hosting;

/// <summary>
/// The hosts the portal answers to when <c>AllowedHosts</c> is not configured: the hosts of the URLs it listens on, with
/// every loopback name when it listens on loopback (or on every address). Any other <c>Host</c> header gets 400, so a web
/// page that rebinds its own DNS name to 127.0.0.1 cannot read a developer's local portal.
/// </summary>
internal static class AllowedHostsDefaults
{
    public const string SettingName = "AllowedHosts";

    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Sets <c>AllowedHosts</c> from <paramref name="urls"/> (semicolon separated) unless configuration sets it.</summary>
    public static void Apply(IConfigurationManager configuration, string urls)
    {
        if (!string.IsNullOrWhiteSpace(configuration[SettingName]))
        {
            return;
        }

        configuration[SettingName] = string.Join(';', FromUrls(urls));
    }

    public static IReadOnlyList<string> FromUrls(string urls)
    {
        var hosts = new List<string>();
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = HostOf(url);
            if (host is null || IsLoopbackOrWildcard(host))
            {
                // Listening on every address (a container, a VM): only loopback unless AllowedHosts names the public hosts.
                hosts.AddRange(LoopbackHosts);
            }
            else
            {
                hosts.Add(host);
            }
        }

        if (hosts.Count == 0)
        {
            hosts.AddRange(LoopbackHosts);
        }

        return [.. hosts.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private static string? HostOf(string url)
    {
        // Kestrel accepts "http://*:80" and "http://+:80", which are not URIs.
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? url : url[(start + 3)..];
        if (rest.StartsWith('*') || rest.StartsWith('+'))
        {
            return null;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0
            ? (uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost.Trim('[', ']')}]" : uri.IdnHost)
            : null;
    }

    private static bool IsLoopbackOrWildcard(string host) =>
        host is "0.0.0.0" or "[::]" or "[0:0:0:0:0:0:0:0]"
        || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}
