using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Playground.FineTuning;
using Portal.Tests.Support;

namespace Portal.Tests.FineTuning;

/// <summary>
/// The published OpenAI files and fine-tuning examples and Azure OpenAI's data-plane pair (in-repo copies of
/// shared/data/api-examples/openai-finetuning) parse into the portal's types field by field, and the job requests the
/// portal writes have the published requests' shape. Two published responses are not JSON at all (a <c>{ ... }</c>
/// placeholder, a Python <c>None</c>) and are named as such; trailing commas are tolerated.
/// </summary>
public sealed class FineTuningExamplesTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "FineTuning", "Examples");

    private static JsonDocument Response(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name)), FineTuningJson.Options);

    /// <summary>The JSON body of a published curl request (<c>-d '…'</c>).</summary>
    private static JsonNode RequestBody(string name)
    {
        var text = File.ReadAllText(Path.Combine(Folder, name));
        var start = text.IndexOf("-d '", StringComparison.Ordinal) + 4;
        return JsonNode.Parse(text[start..text.LastIndexOf('\'')])!;
    }

    [SharedDataFact]
    public void TheCopies_AreTheSharedExamples()
    {
        var shared = Path.Combine(SharedData.Directory!, "data", "api-examples", "openai-finetuning");
        var names = Directory.GetFiles(shared, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(shared, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Folder, f)).Order(StringComparer.Ordinal));
        Assert.All(names, name => Assert.Equal(File.ReadAllText(Path.Combine(shared, name)), File.ReadAllText(Path.Combine(Folder, name))));
    }

    [Theory]
    [InlineData("fine_tuning_jobs_list_response.json")]
    [InlineData("fine_tuning_jobs_create_wandb_integration_response.json")]
    public void TheTwoResponsesThatAreNotJson_AreRefused_NotMisread(string name) =>
        Assert.ThrowsAny<JsonException>(() => Response(name).Dispose());

    [Fact]
    public void RetrievedJob_ReadsEveryField()
    {
        using var doc = Response("fine_tuning_jobs_retrieve_response.json");
        var job = FineTuningJson.ReadJob(doc.RootElement);
        Assert.Equal("ftjob-abc123", job.Id);
        Assert.Equal("davinci-002", job.Model);
        Assert.Equal(FineTuningState.Succeeded, job.State);
        Assert.Equal("ft:davinci-002:my-org:custom_suffix:7q8mpxmy", job.FineTunedModel);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1692661014), job.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1692661190), job.FinishedAt);
        Assert.Equal(["file-abc123"], job.ResultFiles);
        Assert.Equal(HyperValue.Of(4), job.Hyperparameters.Epochs);
        Assert.Equal(HyperValue.Of(1), job.Hyperparameters.BatchSize);
        Assert.Equal(HyperValue.Of(1.0), job.Hyperparameters.LearningRateMultiplier);
        Assert.Equal(5768, job.TrainedTokens);
        Assert.Equal(0, job.Seed);
        Assert.Null(job.EstimatedFinish); // 0: not given
        Assert.Null(job.Error);
    }

    [Theory]
    [InlineData("fine_tuning_jobs_create_response.json", "queued", FineTuningMethod.Supervised, null)]
    [InlineData("fine_tuning_jobs_create_validation_file_response.json", "queued", FineTuningMethod.Supervised, "file-abc123")]
    [InlineData("fine_tuning_jobs_create_epochs_response.json", "queued", FineTuningMethod.Supervised, null)]
    [InlineData("fine_tuning_jobs_create_dpo_response.json", "queued", FineTuningMethod.Dpo, "file-123")]
    [InlineData("fine_tuning_jobs_create_reinforcement_response.json", "validating_files", FineTuningMethod.Reinforcement, "file-123")]
    [InlineData("fine_tuning_jobs_cancel_response.json", "cancelled", FineTuningMethod.Supervised, "file-abc123")]
    public void CreatedAndCancelledJobs_Read(string name, string status, FineTuningMethod method, string? validation)
    {
        using var doc = Response(name);
        var job = FineTuningJson.ReadJob(doc.RootElement);
        Assert.Equal(status, job.Status);
        Assert.NotEqual(FineTuningState.Unknown, job.State);
        Assert.Equal(method, job.Method);
        Assert.Equal(validation, job.ValidationFile);
        Assert.Null(job.Error); // {code: null, message: null} and {} are "no error"
    }

    [Fact]
    public void MethodHyperparameters_WinOverTheDeprecatedTopLevelOnes()
    {
        using var doc = Response("fine_tuning_jobs_create_dpo_response.json");
        var job = FineTuningJson.ReadJob(doc.RootElement);
        Assert.Equal(HyperValue.Of(0.1), job.Hyperparameters.Beta);
        Assert.Equal(HyperValue.Automatic, job.Hyperparameters.Epochs);
        Assert.Equal(1036326793, job.Seed);
    }

    [Fact]
    public void Files_EventsAndCheckpoints_Read()
    {
        using (var created = Response("files_create_response.json"))
        {
            var file = FineTuningJson.ReadFile(created.RootElement);
            Assert.Equal(("file-abc123", "mydata.jsonl", 120000L, "fine-tune"), (file.Id, file.FileName, file.Bytes, file.Purpose));
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1677614202), file.ExpiresAt);
        }

        using (var list = Response("files_list_response.json"))
        {
            var page = FineTuningJson.ReadPage(list.RootElement, FineTuningJson.ReadFile);
            Assert.Equal(["file-abc123", "file-abc456"], page.Data.Select(f => f.Id));
            Assert.False(page.HasMore);
        }

        using (var events = Response("fine_tuning_jobs_list_events_response.json"))
        {
            var page = FineTuningJson.ReadPage(events.RootElement, FineTuningJson.ReadEvent);
            Assert.True(page.HasMore);
            Assert.Equal("Fine tuning job successfully completed", page.Data[0].Message);
            Assert.All(page.Data, e => Assert.Null(e.Metrics));
        }

        using var checkpoints = Response("fine_tuning_jobs_list_checkpoints_response.json");
        var cps = FineTuningJson.ReadPage(checkpoints.RootElement, FineTuningJson.ReadCheckpoint);
        Assert.Equal([2000, 1000], cps.Data.Select(c => c.Step));
        Assert.Equal(0.134, cps.Data[0].Metrics["full_valid_loss"]);
        Assert.EndsWith(":ckpt-step-2000", cps.Data[0].Model, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("post_finetuning_job.json", "201", FineTuningState.Queued)]
    [InlineData("get_finetuning_job.json", "200", FineTuningState.Succeeded)]
    public void AzureJobs_ReadWithTheirOlderStatusNames(string name, string status, FineTuningState state)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "azure-openai-dataplane", name)));
        var job = FineTuningJson.ReadJob(doc.RootElement.GetProperty("responses").GetProperty(status).GetProperty("body"));
        Assert.Equal(state, job.State);
        Assert.Equal("ft-72a2792ef7d24ba7b82c7fe4a37e379f", job.Id);
        Assert.Equal(HyperValue.Automatic, job.Hyperparameters.Epochs); // -1: the default
    }

    [Fact]
    public void Requests_HaveThePublishedShape()
    {
        var automatic = new FineTuningHyperparameters(default, default, default);
        Assert.True(JsonNode.DeepEquals(RequestBody("fine_tuning_jobs_create_request_curl.txt"),
            FineTuningJson.WriteRequest(new("gpt-4o-mini", "file-BK7bzQj3FfZFXr7DbL6xJwfo", null, FineTuningMethod.Supervised, automatic, null, null), topLevelHyperparameters: false)));
        Assert.True(JsonNode.DeepEquals(RequestBody("fine_tuning_jobs_create_validation_file_request_curl.txt"),
            FineTuningJson.WriteRequest(new("gpt-4o-mini", "file-abc123", "file-abc123", FineTuningMethod.Supervised, automatic, null, null), topLevelHyperparameters: false)));
        Assert.True(JsonNode.DeepEquals(RequestBody("fine_tuning_jobs_create_epochs_request_curl.txt"),
            FineTuningJson.WriteRequest(new("gpt-4o-mini", "file-abc123", null, FineTuningMethod.Supervised, automatic with { Epochs = HyperValue.Of(2) }, null, null), topLevelHyperparameters: false)));
        Assert.True(JsonNode.DeepEquals(RequestBody("fine_tuning_jobs_create_dpo_request_curl.txt"),
            FineTuningJson.WriteRequest(new("gpt-4o-mini", "file-abc123", "file-abc123", FineTuningMethod.Dpo, automatic with { Beta = HyperValue.Of(0.1) }, null, null), topLevelHyperparameters: false)));

        using var azure = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "azure-openai-dataplane", "post_finetuning_job.json")));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(azure.RootElement.GetProperty("parameters").GetProperty("fineTuningJob").GetRawText()),
            FineTuningJson.WriteRequest(new("curie", "file-181a1cbdcdcf4677ada87f63a0928099", null, FineTuningMethod.Supervised, automatic, null, null), topLevelHyperparameters: true)));
    }
}
