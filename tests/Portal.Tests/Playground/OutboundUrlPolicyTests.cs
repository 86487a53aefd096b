using System.Net;
using Portal.Playground.Outbound;
using Portal.TestPeers;

namespace Portal.Tests.Playground;

public sealed class OutboundUrlPolicyTests
{
    private static OutboundUrlPolicy Policy(bool loopback = true, bool privateNetworks = false) =>
        new(new TestOptionsMonitor<OutboundOptions>(new OutboundOptions { AllowLoopback = loopback, AllowPrivateNetworks = privateNetworks }));

    [Theory]
    [InlineData("localhost:11434/v1", "http://localhost:11434/v1")]
    [InlineData("my-server:8000/v1/", "http://my-server:8000/v1/")]
    public void HostAndPortWithoutScheme_SaysTheSchemeIsMissing(string url, string suggestion)
    {
        var refused = Policy().Check(new Uri(url));

        Assert.Contains("has no scheme", refused, StringComparison.Ordinal);
        Assert.Contains(suggestion, refused, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/v1/", "ftp")]
    [InlineData("javascript:alert(1)", "javascript")]
    public void OtherSchemes_AreRefusedByName(string url, string scheme) =>
        Assert.Contains($"not {scheme}", Policy().Check(new Uri(url)), StringComparison.Ordinal);

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://168.63.129.16/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    public void MetadataAddresses_AreAlwaysRefused_EvenWithPrivateNetworksAllowed(string url) =>
        Assert.NotNull(Policy(privateNetworks: true).Check(new Uri(url)));

    [Theory]
    [InlineData("http://10.0.0.5/v1/")]
    [InlineData("http://192.168.1.20:11434/v1/")]
    [InlineData("http://172.20.0.3/")]
    [InlineData("http://[fd12:3456::1]/")]
    [InlineData("http://169.254.10.10/")]
    public void PrivateRanges_RefusedByDefault_AllowedByConfiguration(string url)
    {
        Assert.Contains("AllowPrivateNetworks", Policy().Check(new Uri(url)), StringComparison.Ordinal);
        Assert.Null(Policy(privateNetworks: true).Check(new Uri(url)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:11434/v1/")]
    [InlineData("http://localhost:8080/v1/")]
    [InlineData("http://[::1]:8000/v1/")]
    public void Loopback_AllowedByDefault_RefusedWhenTurnedOff(string url)
    {
        Assert.Null(Policy().Check(new Uri(url)));
        Assert.Contains("AllowLoopback", Policy(loopback: false).Check(new Uri(url)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.org/")]
    [InlineData("https://user:secret@example.org/")]
    [InlineData("http://0.0.0.0/")]
    public void OtherSchemesCredentialsAndUnspecifiedAddresses_AreRefused(string url) =>
        Assert.NotNull(Policy().Check(new Uri(url)));

    [Theory]
    [InlineData("http://[::ffff:169.254.169.254]/")]          // IPv4-mapped
    [InlineData("http://[::a9fe:a9fe]/")]                      // IPv4-compatible (deprecated)
    [InlineData("http://[::ffff:0:a9fe:a9fe]/")]               // IPv4-translated (SIIT)
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")]               // NAT64 well-known prefix
    [InlineData("http://[64:ff9b:1::a9fe:a9fe]/")]             // NAT64 local-use prefix, /96 form
    [InlineData("http://[64:ff9b:1:a9fe:a9:fe00::]/")]         // NAT64 local-use prefix, /48 form (RFC 6052)
    [InlineData("http://[2002:a9fe:a9fe::1]/")]                // 6to4
    [InlineData("http://[2001:0:a9fe:a9fe::1]/")]              // Teredo, as the server
    [InlineData("http://[2001:0:4136:e378:8000:63bf:5601:5601]/")] // Teredo, as the client (bits inverted)
    [InlineData("http://[64:ff9b::a83f:8110]/")]               // NAT64 of 168.63.129.16 (Azure WireServer)
    public void MetadataAddress_InEveryIPv6TransitionForm_IsAlwaysRefused(string url)
    {
        var refused = Policy(privateNetworks: true).Check(new Uri(url));

        Assert.NotNull(refused);
    }

    [Theory]
    [InlineData("http://[64:ff9b::a00:5]/")]        // NAT64 of 10.0.0.5
    [InlineData("http://[2002:c0a8:114::1]/")]      // 6to4 of 192.168.1.20
    [InlineData("http://[::ffff:172.20.0.3]/")]     // IPv4-mapped 172.20.0.3
    [InlineData("http://[64:ff9b::6440:1]/")]       // NAT64 of 100.64.0.1 (shared address space)
    [InlineData("http://100.64.0.1/")]
    public void PrivateAddress_InIPv6TransitionForms_RefusedByDefault_AllowedByConfiguration(string url)
    {
        Assert.Contains("AllowPrivateNetworks", Policy().Check(new Uri(url)), StringComparison.Ordinal);
        Assert.Null(Policy(privateNetworks: true).Check(new Uri(url)));
    }

    [Theory]
    [InlineData("http://[64:ff9b::7f00:1]/")]      // NAT64 of 127.0.0.1
    [InlineData("http://[2002:7f00:1::1]/")]       // 6to4 of 127.0.0.1
    public void Loopback_InIPv6TransitionForms_FollowsTheLoopbackSetting(string url) =>
        Assert.Contains("AllowLoopback", Policy(loopback: false).Check(new Uri(url)), StringComparison.Ordinal);

    [Theory]
    [InlineData("http://198.18.0.1/")]
    [InlineData("http://198.19.255.254/")]
    [InlineData("http://192.0.0.8/")]
    [InlineData("http://240.0.0.1/")]
    [InlineData("http://255.255.255.255/")]
    [InlineData("http://192.0.2.10/")]
    [InlineData("http://198.51.100.7/")]
    [InlineData("http://203.0.113.99/")]
    [InlineData("http://0.1.2.3/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://239.255.255.250/")]
    [InlineData("http://[ff02::1]/")]
    [InlineData("http://[2001:db8::1]/")]
    [InlineData("http://[64:ff9b::c000:20a]/")]    // NAT64 of 192.0.2.10
    [InlineData("http://[2002:cb00:7163::1]/")]     // 6to4 of 203.0.113.99
    public void ReservedDocumentationAndMulticastRanges_AreAlwaysRefused(string url)
    {
        Assert.NotNull(Policy().Check(new Uri(url)));
        Assert.NotNull(Policy(privateNetworks: true).Check(new Uri(url)));
    }

    [Theory]
    [InlineData("http://[64:ff9b::142a:415c]/")]    // NAT64 of 20.42.65.92
    [InlineData("http://[2002:142a:415c::1]/")]     // 6to4 of 20.42.65.92
    [InlineData("http://[2606:4700::1111]/")]
    [InlineData("http://198.20.0.1/")]
    [InlineData("http://203.0.114.1/")]
    public void PublicAddresses_InAnyForm_AreAllowed(string url) =>
        Assert.Null(Policy().Check(new Uri(url)));

    [Fact]
    public void PublicHosts_AreAllowed()
    {
        Assert.Null(Policy().Check(new Uri("https://my-resource.openai.azure.com/openai/v1/")));
        Assert.Null(Policy().Check(IPAddress.Parse("20.42.65.92")));
    }

    [Fact]
    public async Task TheResolvedAddress_IsChecked_NotJustTheName()
    {
        // "localhost" is a name, not an address: the check at connect time resolves it and refuses the loopback answer.
        using var client = new HttpClient(Policy(loopback: false).CreateHandler());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://localhost:9/")));

        Assert.IsType<OutboundUrlRefusedException>(error.InnerException);
    }
}
