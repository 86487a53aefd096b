using Portal.TestPeers;
using Portal.Web.AiServices;

namespace Portal.Tests.Azure;

/// <summary>The AI services directory's data: every fact sourced, every service documented, every kind the peer's accounts use known.</summary>
public sealed class AiServicesDirectoryTests
{
    private static readonly AiServicesDirectory Directory = AiServicesDirectory.Load();

    [Fact]
    public void Directory_HasTheSeedsServices_InOrder()
    {
        Assert.Equal(
            ["Azure OpenAI", "Speech", "Vision", "Language", "Translator", "Content Safety", "Document Intelligence", "AI Search", "Video Indexer", "Bot Service", "Custom Vision", "Face", "Immersive Reader"],
            Directory.Services.Select(s => s.Name));
        Assert.Equal(Directory.Services.Count, Directory.Services.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void EveryService_HasASummaryUsesDocsOnLearn_AndKindsOrResourceTypes()
    {
        Assert.All(Directory.Services, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Summary), s.Name);
            Assert.NotEmpty(s.Uses);
            Assert.NotEmpty(s.Docs);
            Assert.All(s.Docs, d =>
            {
                Assert.True(d.Url.IsAbsoluteUri && d.Url.Scheme == Uri.UriSchemeHttps && d.Url.Host == "learn.microsoft.com", $"{s.Name}: {d.Url}");
                Assert.False(string.IsNullOrWhiteSpace(d.Title));
            });
            Assert.True(s.Kinds.Count + s.ResourceTypes.Count > 0, $"{s.Name} names no kind or resource type");
            Assert.All(s.Kinds, k => Assert.False(string.IsNullOrWhiteSpace(k.Value)));
            Assert.All(s.ResourceTypes, t => Assert.Matches(@"^Microsoft\.[A-Za-z]+/[A-Za-z]+$", t.Value));
        });
    }

    [Fact]
    public void EveryFact_NamesASourceThatExists_WithAnHttpsAddress()
    {
        var facts = Directory.Services.SelectMany(s => s.Kinds.Select(k => (s.Name, Value: k.Value, k.Source))
            .Concat(s.ResourceTypes.Select(t => (s.Name, Value: t.Value, t.Source)))
            .Concat(s.Docs.Select(d => (s.Name, Value: d.Url.AbsoluteUri, d.Source)))).ToList();

        Assert.NotEmpty(facts);
        Assert.All(facts, f => Assert.True(Directory.Sources.ContainsKey(f.Source), $"{f.Name}: '{f.Value}' names the unknown source '{f.Source}'"));
        Assert.All(Directory.Sources.Values, s =>
        {
            Assert.Equal(Uri.UriSchemeHttps, s.Url.Scheme);
            Assert.False(string.IsNullOrWhiteSpace(s.Title));
        });
        // Every source is used by some fact (none is listed for show).
        Assert.Empty(Directory.Sources.Keys.Except(facts.Select(f => f.Source), StringComparer.Ordinal));
    }

    [Fact]
    public void AIServices_ProvidesTheMultiServiceServices_AndOnlyThem()
    {
        Assert.Equal(
            ["Azure OpenAI", "Speech", "Vision", "Language", "Translator", "Content Safety", "Document Intelligence"],
            Directory.ServicesOf("AIServices").Select(s => s.Name));
        Assert.Equal("AI services (multi-service)", Directory.KindLabel("AIServices"));
        Assert.Equal("Custom Vision", Assert.Single(Directory.ServicesOf("customvision.training")).Name);
    }

    [Fact]
    public async Task EveryKind_ThePeersAccountsUse_MapsToAServiceAndALabel()
    {
        await using var peer = await ArmPeer.StartAsync();
        var azure = new Portal.Azure.AzureService(ArmTestClient.Create(peer), TimeProvider.System);

        var accounts = (await azure.DiscoverAccountsAsync([ArmPeer.Subscription], refresh: true, CancellationToken.None)).Accounts;

        Assert.Equal(6, accounts.Count);
        Assert.All(accounts, a =>
        {
            Assert.NotEmpty(Directory.ServicesOf(a.Kind));
            Assert.NotEqual(a.Kind, Directory.KindLabel(a.Kind));
        });
        var openAi = Directory.Services.Single(s => s.Id == "azure-openai");
        Assert.Equal(["locked-openai", ArmPeer.AIServicesAccountName, ArmPeer.OpenAIAccountName], AiServicesDirectory.AccountsFor(openAi, accounts).Select(a => a.Name));
        var speech = Directory.Services.Single(s => s.Id == "speech");
        Assert.Equal([ArmPeer.AIServicesAccountName, "team-speech"], AiServicesDirectory.AccountsFor(speech, accounts).Select(a => a.Name));
    }

    [Theory]
    [InlineData("translation", new[] { "Speech", "Translator", "Video Indexer" })]
    [InlineData("TextAnalytics", new[] { "Language" })]
    [InlineData("searchServices", new[] { "AI Search" })]
    [InlineData("no such thing", new string[0])]
    public void Search_MatchesEveryWord_InNameSummaryUsesAndKinds(string query, string[] expected)
    {
        Assert.Equal(expected, Directory.Search(query).Select(s => s.Name));
    }

    [Fact]
    public void Search_Empty_IsEverything() => Assert.Equal(Directory.Services.Count, Directory.Search("  ").Count);
}
