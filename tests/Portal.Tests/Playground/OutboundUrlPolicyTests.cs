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
