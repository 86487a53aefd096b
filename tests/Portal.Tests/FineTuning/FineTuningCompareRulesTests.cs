using System.Globalization;
using Portal.Azure;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.TestPeers;
using Portal.Web.Evaluations;
using Portal.Web.FineTuning;

namespace Portal.Tests.FineTuning;

/// <summary>The comparison's rules apart from the page: the address, the best job, the evaluation targets, the Azure account and deployment name.</summary>
public sealed class FineTuningCompareRulesTests
{
    private static FineTuningJobView Job(string id, string state, int steps, bool validation, double offset = 0)
    {
        var metrics = Enumerable.Range(1, steps)
            .Select(s => new MetricPoint(s, OpenAiPeer.TrainLossAt(s) + offset, validation ? OpenAiPeer.ValidLossAt(s) + offset : null, null, null))
            .ToList();
        return FineTuningJobView.From(new FineTuningJobRow
        {
            Id = Guid.NewGuid(),
            OwnerId = "ana",
            Connection = "openai-ft",
            ProviderJobId = id,
            BaseModel = "gpt-4o-mini-2024-07-18",
            TrainingFileId = "file-1",
            State = state,
            MetricsJson = FineTuningRowJson.Write(metrics),
        });
    }

    [Theory]
    [InlineData(null, "Choose 2 to 6 jobs")]
    [InlineData(" , ", "Choose 2 to 6 jobs")]
    [InlineData("x", "'x' is not a job id")]
    [InlineData("6f1c2a9e-8d3b-4c55-9a1e-2b7d8c9e0f11,6F1C2A9E-8D3B-4C55-9A1E-2B7D8C9E0F11", "the address names 1")]
    public void Parse_BadQuery_SaysWhatIsWrong(string? query, string expected)
    {
        var (ids, problem) = FineTuningCompareService.Parse(query);

        Assert.Empty(ids);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SevenJobs_IsTooMany_SixAreTaken_InOrder()
    {
        var seven = Enumerable.Range(0, 7).Select(_ => Guid.NewGuid()).ToList();

        Assert.Contains("the address names 7", FineTuningCompareService.Parse(string.Join(',', seven)).Problem, StringComparison.Ordinal);
        var (ids, problem) = FineTuningCompareService.Parse(string.Join(" , ", seven.Take(6)));
        Assert.Null(problem);
        Assert.Equal(seven.Take(6), ids);
    }

    [Fact]
    public void CompareUrl_RoundTripsThroughParse()
    {
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var url = FineTuningJobUrls.Compare(ids);

        Assert.StartsWith("fine-tuning/compare?jobs=", url, StringComparison.Ordinal);
        Assert.Equal(ids, FineTuningCompareService.Parse(Uri.UnescapeDataString(url.Split("jobs=")[1])).Ids);
    }

    [Fact]
    public void Best_ByValidationLoss_AmongSucceededOnly()
    {
        var a = Job("ftjob-a", "Succeeded", 9, validation: true, offset: 0.1);
        var b = Job("ftjob-b", "Succeeded", 9, validation: true);
        var running = Job("ftjob-r", "Running", 9, validation: true, offset: -1);
        var failed = Job("ftjob-f", "Failed", 9, validation: true, offset: -1);

        var best = BestJob.Among([a, b, running, failed])!;

        Assert.Same(b, best.Job);
        Assert.True(best.ByValidation);
        Assert.Equal(OpenAiPeer.ValidLossAt(9), best.Loss, 6);
        Assert.Same(a, Assert.Single(best.Others).Job);
    }

    [Fact]
    public void Best_WhenNoSucceededJobHasValidation_UsesTrainingLoss_AndSaysWhy()
    {
        var a = Job("ftjob-a", "Succeeded", 9, validation: false);
        var b = Job("ftjob-b", "Succeeded", 6, validation: false);

        var best = BestJob.Among([b, a])!;

        Assert.Same(a, best.Job);
        Assert.False(best.ByValidation);
        Assert.Equal(
            $"ftjob-a has the lowest final training loss among the finished jobs: {OpenAiPeer.TrainLossAt(9).ToString("0.0000", CultureInfo.InvariantCulture)}, against ftjob-b {OpenAiPeer.TrainLossAt(6).ToString("0.0000", CultureInfo.InvariantCulture)}. No finished job reports a validation loss (none had a validation file), so training losses are compared.",
            best.Sentence(j => j.Row.ProviderJobId));
    }

    [Fact]
    public void Best_NoFinishedJob_IsNone()
    {
        Assert.Null(BestJob.Among([Job("ftjob-r", "Running", 3, validation: true)]));
    }

    [Theory]
    [InlineData("openai-ft", "ft:gpt-4o-mini-2024-07-18:org:alpha:abc123")]
    [InlineData("team | prod", "gpt-4o-mini-2024-07-18.ft-0a1b")]
    [InlineData("a&b=c", "model with spaces")]
    public void EvaluationTarget_RoundTripsThroughTheAddress(string connection, string model)
    {
        var url = EvaluationUrls.NewRunWithTargets([(connection, model), ("other", "gpt-4o-mini")]);
        var values = url.Split('?')[1].Split('&').Select(p => Uri.UnescapeDataString(p.Split('=', 2)[1])).ToList();

        Assert.Equal([(connection, model), ("other", "gpt-4o-mini")], values.Select(v => EvaluationUrls.ParseTarget(v)!.Value));
        Assert.DoesNotContain(' ', url);
    }

    [Theory]
    [InlineData("no-bar")]
    [InlineData("|model")]
    [InlineData("connection|")]
    [InlineData(null)]
    public void EvaluationTarget_Unreadable_IsNull(string? value) => Assert.Null(EvaluationUrls.ParseTarget(value));

    private static AzureAIAccount Account(string name, string kind, string endpoint, Dictionary<string, string>? endpoints = null) =>
        new($"/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/{name}", name, kind, "swedencentral", "rg", "s", "S0", endpoint, endpoints ?? [], "Succeeded", false);

    [Fact]
    public void AccountsFor_MatchesTheConnectionsHost_OnAnyOfTheAccountsEndpoints()
    {
        var openai = Account("team-openai", "OpenAI", "https://team-openai.openai.azure.com/");
        var services = Account("team-ai", "AIServices", "https://team-ai.cognitiveservices.azure.com/", new() { ["OpenAI Language Model Instance API"] = "https://team-ai.openai.azure.com/" });
        var speech = Account("team-speech", "SpeechServices", "https://team-openai.openai.azure.com/");

        Assert.Equal([openai], FineTunedDeployment.AccountsFor([openai, services, speech], new Uri("https://TEAM-OPENAI.openai.azure.com/openai/v1/")));
        Assert.Equal([services], FineTunedDeployment.AccountsFor([openai, services, speech], new Uri("https://team-ai.openai.azure.com/")));
        Assert.Empty(FineTunedDeployment.AccountsFor([openai, services], new Uri("https://elsewhere.openai.azure.com/")));
    }

    [Fact]
    public void DefaultName_IsValid_AndNotTaken()
    {
        Assert.Equal("gpt-4o-mini-2024-07-18-ft-support", FineTunedDeployment.DefaultName("gpt-4o-mini-2024-07-18", "support", new HashSet<string>()));
        Assert.Equal("gpt-4o-mini-ft-2", FineTunedDeployment.DefaultName("gpt-4o-mini", null, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "GPT-4o-mini-ft" }));
        var odd = FineTunedDeployment.DefaultName("gpt-4o", "my suffix/with:odd chars and a very long tail that goes on and on", new HashSet<string>());
        Assert.Null(AzureService.CheckDeploymentName(odd));
        Assert.StartsWith("gpt-4o-ft-my-suffix-with-odd-chars", odd, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ft:gpt-4o-mini-2024-07-18:org:alpha:abc123", true)]
    [InlineData("gpt-4o-mini-2024-07-18.ft-0a1b2c", true)]
    [InlineData("gpt-4o-mini", false)]
    [InlineData(null, false)]
    public void ArmPeer_KnowsAFineTunedModelId(string? model, bool fineTuned) => Assert.Equal(fineTuned, ArmPeer.IsFineTunedModelId(model));
}
