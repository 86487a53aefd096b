using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Portal.Playground.Outbound;

/// <summary>Which addresses the portal may call on a user's behalf (<c>Portal:Outbound</c>).</summary>
public sealed class OutboundOptions
{
    public const string SectionName = "Portal:Outbound";

    /// <summary>127.0.0.0/8 and ::1: on by default, for Ollama, vLLM or llama.cpp on the same machine.</summary>
    public bool AllowLoopback { get; set; } = true;

    /// <summary>10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7 and link-local ranges: off by default.</summary>
    public bool AllowPrivateNetworks { get; set; }
}

/// <summary>A call to an address the outbound policy refuses.</summary>
public sealed class OutboundUrlRefusedException(string message) : Exception(message);

/// <summary>
/// Guards against server-side request forgery: the portal calls URLs that users type in. Cloud metadata endpoints are
/// always refused; loopback and private ranges only when configuration allows them. The check runs on every address
/// a host name resolves to, at connection time (so a name that later resolves elsewhere is checked again).
/// </summary>
public sealed class OutboundUrlPolicy(IOptionsMonitor<OutboundOptions> options)
{
    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"), // AWS, Azure IMDS, GCP, OpenStack
        IPAddress.Parse("169.254.170.2"),   // AWS ECS task metadata
        IPAddress.Parse("168.63.129.16"),   // Azure WireServer
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud
        IPAddress.Parse("fd00:ec2::254"),   // AWS IMDS over IPv6
    ];

    private static readonly string[] MetadataHosts = ["metadata.google.internal", "metadata", "metadata.azure.internal"];

    /// <summary>Checks a URL before any call: scheme, and the host when it is a literal address. Returns why it is refused, or null.</summary>
    public string? Check(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri)
        {
            return "Enter an absolute URL, for example https://my-resource.openai.azure.com/openai/v1/.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            // "localhost:11434/v1" parses as the scheme "localhost": what is missing is the scheme, not a different one.
            var original = uri.OriginalString.Trim();
            var afterColon = original.IndexOf(':', StringComparison.Ordinal) + 1;
            if (afterColon < original.Length && char.IsAsciiDigit(original[afterColon]))
            {
                return $"'{original}' has no scheme: write http://{original} (or https://).";
            }

            return $"Only http and https URLs can be called, not {uri.Scheme}.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Put credentials in the key field, not in the URL.";
        }

        var host = uri.IdnHost.TrimEnd('.');
        if (MetadataHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            return $"{host} is a cloud metadata service; the portal never calls it.";
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return Check(IPAddress.Loopback);
        }

        return IPAddress.TryParse(uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : host, out var address) ? Check(address) : null;
    }

    /// <summary>
    /// Checks one resolved address. Returns why it is refused, or null. An IPv6 address that carries an IPv4 address
    /// (IPv4-mapped, -compatible or -translated, NAT64, 6to4, Teredo) is checked as every IPv4 address it carries too,
    /// so a metadata or private address cannot be reached through a transition form.
    /// </summary>
    public string? Check(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            foreach (var embedded in EmbeddedIPv4(address))
            {
                if (CheckOne(embedded) is { } refused)
                {
                    return $"{address} carries the IPv4 address {embedded}: {refused}";
                }
            }

            if (IsNat64LocalUse(address) && !options.CurrentValue.AllowPrivateNetworks)
            {
                return $"{address} is in the local-use NAT64 range 64:ff9b:1::/48; set Portal:Outbound:AllowPrivateNetworks to true to allow it.";
            }
        }

        return CheckOne(address);
    }

    private string? CheckOne(IPAddress address)
    {
        if (MetadataAddresses.Any(m => m.Equals(address)))
        {
            return $"{address} is a cloud metadata address; the portal never calls it.";
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || IsMulticast(address))
        {
            return $"{address} is not an address a server can be called on.";
        }

        if (IsReserved(address))
        {
            return $"{address} is in a reserved or documentation range; no server can be called on it.";
        }

        var current = options.CurrentValue;
        if (IPAddress.IsLoopback(address))
        {
            return current.AllowLoopback ? null : $"{address} is a loopback address, and Portal:Outbound:AllowLoopback is off.";
        }

        if (IsPrivate(address))
        {
            return current.AllowPrivateNetworks ? null : $"{address} is in a private or link-local range; set Portal:Outbound:AllowPrivateNetworks to true to allow it.";
        }

        return null;
    }

    /// <summary>The IPv4 addresses an IPv6 address carries in each transition form (RFC 4291, 6052, 6145, 3056, 4380).</summary>
    internal static IEnumerable<IPAddress> EmbeddedIPv4(IPAddress address)
    {
        var b = address.GetAddressBytes();
        var last = new IPAddress(b.AsSpan(12, 4));
        bool Zero(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                if (b[i] != 0)
                {
                    return false;
                }
            }

            return true;
        }

        // ::a.b.c.d (IPv4-compatible, not :: or ::1) and ::ffff:0:a.b.c.d (IPv4-translated)
        if (Zero(0, 12) && !(Zero(12, 15) && b[15] <= 1))
        {
            yield return last;
        }

        if (Zero(0, 8) && b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0)
        {
            yield return last;
        }

        // NAT64: 64:ff9b::/96 (well-known), and the local-use 64:ff9b:1::/48 at every RFC 6052 prefix length it allows
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)
        {
            if (!(b[4] == 0x00 && b[5] == 0x01 && last.Equals(IPAddress.Any)))
            {
                yield return last;
            }

            if (b[4] == 0x00 && b[5] == 0x01)
            {
                // The prefix length is the operator's choice: every reading is checked; an all-zero one is padding.
                IPAddress[] readings = [new([b[6], b[7], b[9], b[10]]), new([b[7], b[9], b[10], b[11]]), new([b[9], b[10], b[11], b[12]])];
                foreach (var reading in readings.Where(r => !r.Equals(IPAddress.Any)))
                {
                    yield return reading;
                }
            }
        }

        // 6to4: 2002:a.b.c.d::/48
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            yield return new IPAddress(b.AsSpan(2, 4));
        }

        // Teredo: 2001:0::/32, the server's address, then the client's with every bit inverted
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            yield return new IPAddress(b.AsSpan(4, 4));
            yield return new IPAddress([(byte)~b[12], (byte)~b[13], (byte)~b[14], (byte)~b[15]]);
        }
    }

    private static bool IsNat64LocalUse(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4] == 0x00 && b[5] == 0x01;
    }

    /// <summary>
    /// <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, refuses the connection if any address is
    /// refused (so a name cannot mix a public and a private answer), then connects to the checked addresses only.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        foreach (var address in addresses)
        {
            if (Check(address) is { } reason)
            {
                throw new OutboundUrlRefusedException($"The portal refused to call {host}: {reason}");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A handler for outbound calls to user-supplied URLs: the policy at connect time, no proxy.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = ConnectAsync,
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AutomaticDecompression = DecompressionMethods.All,
    };

    private static bool IsMulticast(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? address.IsIPv6Multicast : (address.GetAddressBytes()[0] & 0xF0) == 224;

    /// <summary>
    /// Ranges no server is called on: 0.0.0.0/8, IETF protocol assignments 192.0.0.0/24, benchmarking 198.18.0.0/15,
    /// 240.0.0.0/4 (and broadcast), the documentation ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and
    /// 2001:db8::/32.
    /// </summary>
    private static bool IsReserved(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] == 0
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] & 0xFE) == 18)
                || b[0] >= 240
                || (b[0] == 192 && b[1] == 0 && b[2] == 2)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113);
        }

        return b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8;
    }

    private static bool IsPrivate(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] == 10
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127);
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
    }
}
