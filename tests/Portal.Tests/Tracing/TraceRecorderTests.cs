using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Sources;
using Portal.Data.Tracing;
using Portal.Playground.Inference;
using Portal.Web.Tracing;

namespace Portal.Tests.Tracing;

/// <summary>
/// Every model call recorded through the real path (InferenceService → TraceRecorder → TraceWriter → SQLite) against
/// the loopback peer: the fields, reported and estimated tokens, cost, each failure, cancellation, content capture off,
/// the queue when full, and that the key is never stored.
/// </summary>
public sealed class TraceRecorderTests : IAsyncLifetime
{
    private TracingRig _rig = default!;

    public async Task InitializeAsync() => _rig = await TracingRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Chat_Ok_RecordsTheCallWithItsScopeTimingsParametersAndReportedTokens()
    {
        var run = Guid.NewGuid();
        var parameters = new GenerationParameters { Temperature = 0.2, TopP = 0.9, MaxTokens = 64 };

        var (text, error, traceId) = await _rig.ChatAsync("peer-chat", parameters, user: "oidc:alice", runId: run);

        Assert.Null(error);
        var trace = await _rig.TraceAsync(traceId);
        Assert.Equal("oidc:alice", trace.UserId);
        Assert.Equal(ModelCallFeatures.Chat, trace.Feature);
        Assert.Equal(run, trace.RunId);
        Assert.Equal("team-peer", trace.Connection);
        Assert.Equal($"127.0.0.1:{_rig.Peer.V1.Port}", trace.ServerAddress);
        Assert.Equal("openai_compatible", trace.Provider);
        Assert.Equal("peer-chat", trace.Model);
        Assert.Equal(ModelCallOperations.Chat, trace.Operation);
        Assert.Equal(TraceStatus.Ok, trace.Status);
        Assert.Equal("stop", trace.FinishReason);
        Assert.True(trace.ContentCaptured);
        Assert.Contains("Hello peer", trace.Messages, StringComparison.Ordinal);
        Assert.Contains("\"system\"", trace.Messages, StringComparison.Ordinal);
        Assert.Equal(text, trace.Response);
        using var sent = JsonDocument.Parse(trace.Parameters!);
        Assert.Equal(0.2, sent.RootElement.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(64, sent.RootElement.GetProperty("max_tokens").GetInt32());
        Assert.NotNull(trace.TimeToFirstTokenMs);
        Assert.InRange(trace.TimeToFirstTokenMs!.Value, 0, trace.TotalMs);
        Assert.False(trace.TokensEstimated);
        Assert.Equal(text.Split(' ').Length, trace.OutputTokens); // the peer reports one token per word
        Assert.NotNull(trace.InputTokens);
        Assert.Null(trace.CostLowUsd); // peer-chat is not in the catalog: no price
        Assert.Null(trace.ErrorMessage);
    }

    [Fact]
    public async Task Chat_ModelWithACommunityPrice_RecordsTheEstimatedCostRange()
    {
        using var catalog = new CatalogService([new EmbeddedCatalogSource()], NullLogger<CatalogService>.Instance);
        var priced = catalog.Current.Models.First(m => BenchmarkData.Embedded.PricesFor(m.Id).Count > 0);
        _rig.Peer.ExtraModels.Add(priced.Id);

        var (_, error, traceId) = await _rig.ChatAsync(priced.Id);

        Assert.Null(error);
        var trace = await _rig.TraceAsync(traceId);
        var expected = _rig.Runner.CostRange(priced.Id, trace.InputTokens, trace.OutputTokens!.Value);
        Assert.NotNull(expected);
        Assert.Equal(expected.Low, trace.CostLowUsd);
        Assert.Equal(expected.High, trace.CostHighUsd);
        Assert.Equal(priced.DisplayName, trace.CostModel);
    }

    [Theory]
    [InlineData("fault-401", "Unauthorized")]
    [InlineData("fault-429", "RateLimited")]
    [InlineData("fault-500", "ServerError")]
    [InlineData("fault-content-filter", "ContentFilter")]
    public async Task Chat_Fault_RecordsAnErrorWithItsKindAndThePortalsMessage_NeverTheKey(string model, string kind)
    {
        var (_, error, traceId) = await _rig.ChatAsync(model);

        Assert.NotNull(error);
        var trace = await _rig.TraceAsync(traceId);
        Assert.Equal(TraceStatus.Error, trace.Status);
        Assert.Equal(kind, trace.ErrorType);
        Assert.Contains(error.Message, trace.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(TracingRig.Key, JsonSerializer.Serialize(trace), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_RefusedKey_Records401_AndNeitherKeyIsStored()
    {
        const string wrong = "sk-wrong-key-NEVER-STORED-77";

        var (_, error, traceId) = await _rig.ChatAsync("peer-chat", target: _rig.Target(wrong));

        Assert.Equal(InferenceErrorKind.Unauthorized, error?.Kind);
        var trace = await _rig.TraceAsync(traceId);
        var stored = JsonSerializer.Serialize(trace);
        Assert.Equal("Unauthorized", trace.ErrorType);
        Assert.DoesNotContain(wrong, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(TracingRig.Key, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_StoppedByTheContentFilterMidStream_RecordsTheCategories_AndEstimatedTokens()
    {
        var (text, _, traceId) = await _rig.ChatAsync("fault-stream-filter");

        var trace = await _rig.TraceAsync(traceId);
        Assert.Equal(TraceStatus.Error, trace.Status);
        Assert.Equal("ContentFilter", trace.ErrorType);
        Assert.Equal("content_filter", trace.FinishReason);
        Assert.Contains("\"violence\"", trace.ContentFilter, StringComparison.Ordinal);
        Assert.Equal(text, trace.Response);
        // The peer reports no usage here: both counts are estimated (about four characters a token) and flagged.
        Assert.True(trace.TokensEstimated);
        Assert.Equal((int)Math.Ceiling(text.Length / 4.0), trace.OutputTokens);
        Assert.Equal((int)Math.Ceiling("Be brief.\nHello peer".Length / 4.0), trace.InputTokens);
    }

    [Fact]
    public async Task Chat_CancelledMidStream_RecordsCancelled_WithWhatArrived()
    {
        _rig.Peer.TokenDelay = TimeSpan.FromMilliseconds(60);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));

        var (text, error, traceId) = await _rig.ChatAsync("peer-slow", cancellationToken: cancel.Token);

        Assert.Null(error);
        var trace = await _rig.TraceAsync(traceId);
        Assert.Equal(TraceStatus.Cancelled, trace.Status);
        Assert.Null(trace.ErrorType);
        Assert.Equal(text, trace.Response);
        Assert.DoesNotContain("far away.", trace.Response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_ReaderStopsEarly_RecordsCancelled()
    {
        var scope = new ModelCallScope { Feature = ModelCallFeatures.Chat, UserId = "oidc:alice" };
        using (ModelCallScope.Begin(scope))
        {
            await foreach (var e in _rig.Inference.StreamChatAsync(_rig.Target(), "peer-chat", TracingRig.Hello, new GenerationParameters(), CancellationToken.None))
            {
                if (e is TextDelta)
                {
                    break; // as the playground does past its character limit
                }
            }
        }

        var trace = await _rig.TraceAsync(scope.TraceId);
        Assert.Equal(TraceStatus.Cancelled, trace.Status);
        Assert.Equal("Echo:", trace.Response);
    }

    [Fact]
    public async Task CaptureContentOff_KeepsNoPromptOrAnswer_ButTimingsTokensAndParameters()
    {
        _rig.Options.CurrentValue = new TracingOptions { CaptureContent = false };

        var (_, _, traceId) = await _rig.ChatAsync("peer-chat", new GenerationParameters { Temperature = 0.5 });

        var trace = await _rig.TraceAsync(traceId);
        Assert.False(trace.ContentCaptured);
        Assert.Null(trace.Messages);
        Assert.Null(trace.Response);
        Assert.Contains("temperature", trace.Parameters, StringComparison.Ordinal);
        Assert.NotNull(trace.OutputTokens);
        Assert.DoesNotContain("Hello peer", JsonSerializer.Serialize(trace), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompletionAndImages_AreRecordedWithTheirOperations()
    {
        var completionScope = new ModelCallScope { Feature = ModelCallFeatures.Completions, UserId = "oidc:bob" };
        using (ModelCallScope.Begin(completionScope))
        {
            await foreach (var _ in _rig.Inference.StreamCompletionAsync(_rig.Target(), "peer-chat", "Once upon a time", new GenerationParameters { MaxTokens = 20 }, CancellationToken.None))
            {
            }
        }

        var imageScope = new ModelCallScope { Feature = ModelCallFeatures.Images, UserId = "oidc:bob" };
        using (ModelCallScope.Begin(imageScope))
        {
            await _rig.Inference.GenerateImagesAsync(_rig.Target(), "peer-images", new ImageRequest("A lighthouse", 2, "1024x1024", null, null), CancellationToken.None);
        }

        var completion = await _rig.TraceAsync(completionScope.TraceId);
        Assert.Equal(ModelCallOperations.TextCompletion, completion.Operation);
        Assert.Equal(TraceStatus.Ok, completion.Status);
        Assert.Contains("Once upon a time", completion.Messages, StringComparison.Ordinal);
        Assert.False(completion.TokensEstimated);
        var images = await _rig.TraceAsync(imageScope.TraceId);
        Assert.Equal(ModelCallOperations.GenerateContent, images.Operation);
        Assert.Equal(ModelCallFeatures.Images, images.Feature);
        Assert.Equal(TraceStatus.Ok, images.Status);
        Assert.StartsWith("2 image(s)", images.Response, StringComparison.Ordinal);
        Assert.Contains("\"n\":2", images.Parameters, StringComparison.Ordinal);
        Assert.Null(images.CostLowUsd);
    }

    [Fact]
    public async Task NoUsageReported_TokensAreEstimatedAndFlagged()
    {
        var scope = new ModelCallScope { Feature = ModelCallFeatures.Evaluation, UserId = "oidc:carol" };
        using (ModelCallScope.Begin(scope))
        {
            var call = _rig.Recorder.Start(new ModelCallRequest(_rig.Target(), "local-model", ModelCallOperations.Chat, [new(ChatRole.User, "0123456789")], new GenerationParameters()));
            call.OnText("12345678");
            call.OnText("9");
            call.OnFinished(new StreamFinished("stop", null, null, []));
            call.OnEnded(ModelCallStatus.Ok, null);
        }

        var trace = await _rig.TraceAsync(scope.TraceId);
        Assert.True(trace.TokensEstimated);
        Assert.Equal(3, trace.InputTokens);  // 10 characters
        Assert.Equal(3, trace.OutputTokens); // 9 characters
        Assert.Equal("123456789", trace.Response);
    }

    [Fact]
    public async Task NoScope_RecordsTheCallAsUnknown()
    {
        var call = _rig.Recorder.Start(new ModelCallRequest(_rig.Target(), "peer-chat", ModelCallOperations.Chat, TracingRig.Hello, new GenerationParameters()));
        call.OnEnded(ModelCallStatus.Error, new InferenceError(InferenceErrorKind.Timeout, "No answer from the endpoint within 3 seconds."));
        await _rig.Writer.FlushAsync(CancellationToken.None);

        var (items, _) = await _rig.Store.QueryAsync(new TraceQuery { UserId = "unknown" }, CancellationToken.None);

        var trace = Assert.Single(items);
        Assert.Equal("unknown", trace.Feature);
        Assert.Equal("Timeout", trace.ErrorType);
    }

    [Fact]
    public async Task QueueFull_DropsTheTraceWithACountedWarning_AndTheCallGoesOn()
    {
        await using var rig = await TracingRig.StartAsync(capacity: 1);

        var first = await rig.ChatAsync("peer-chat");
        var second = await rig.ChatAsync("peer-chat"); // the writer is not running: the queue holds one

        Assert.Null(first.Error);
        Assert.Null(second.Error);
        Assert.StartsWith("Echo: Hello peer", second.Text, StringComparison.Ordinal);
        Assert.Equal(1, rig.Recorder.Dropped);
        Assert.Contains(rig.Logs, line => line.Contains("trace queue is full", StringComparison.Ordinal) && line.Contains('1', StringComparison.Ordinal));
        await rig.Writer.FlushAsync(CancellationToken.None);
        Assert.NotNull(await rig.Store.GetAsync(first.TraceId!.Value, null, CancellationToken.None));
        Assert.Null(await rig.Store.GetAsync(second.TraceId!.Value, null, CancellationToken.None));
    }

    [Fact]
    public async Task Retention_PurgesOnlyTracesOlderThanRetentionDays()
    {
        var now = DateTimeOffset.UtcNow;
        var old = TraceStoreTests.Row(now.AddDays(-31), "oidc:alice");
        var recent = TraceStoreTests.Row(now.AddDays(-29), "oidc:alice");
        await _rig.Store.AddRangeAsync([old, recent], CancellationToken.None);
        var retention = new TraceRetention(_rig.Store, Options.Create(new TracingOptions { RetentionDays = 30 }), TimeProvider.System, NullLogger<TraceRetention>.Instance);

        var removed = await retention.PurgeAsync(CancellationToken.None);

        Assert.Equal(1, removed);
        Assert.Null(await _rig.Store.GetAsync(old.Id, null, CancellationToken.None));
        Assert.NotNull(await _rig.Store.GetAsync(recent.Id, null, CancellationToken.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(36501)]
    public void Options_RetentionOutOfRange_FailsNamingTheSetting(int days)
    {
        var result = new TracingOptionsValidator().Validate(null, new TracingOptions { RetentionDays = days });

        Assert.True(result.Failed);
        Assert.Contains($"Portal:Tracing:RetentionDays '{days}' must be between 1 and 36500", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_BadRetentionAtStart_PrintsOneLineNamingTheSetting_AndExitsWith1()
    {
        using var temp = new Portal.Tests.Support.TempDirectory();
        using var error = new StringWriter();

        var exitCode = await Portal.Web.PortalWebApplication.RunAsync(
            [$"--Portal:Storage:SqlitePath={temp.File("portal.db")}", "--Urls=http://127.0.0.1:0", "--Portal:Tracing:RetentionDays=0"],
            error);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("The portal cannot start: Portal:Tracing:RetentionDays '0' must be between 1 and 36500 days", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("None", null, true)]
    [InlineData("Oidc", null, false)]
    [InlineData("EntraId", null, false)]
    [InlineData("Oidc", "true", true)]
    [InlineData("None", "false", false)]
    public void CaptureContent_IsOnByDefaultOnlyInSingleUserMode_AndTheSettingWins(string? mode, string? capture, bool expected)
    {
        var settings = new Dictionary<string, string?>();
        if (mode is not null)
        {
            settings["Portal:Auth:Mode"] = mode;
        }

        if (capture is not null)
        {
            settings["Portal:Tracing:CaptureContent"] = capture;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = Portal.Web.Hosting.TracingServiceCollectionExtensions.AddTracing(new ServiceCollection(), configuration).BuildServiceProvider();

        Assert.Equal(expected, services.GetRequiredService<IOptions<TracingOptions>>().Value.CaptureContent);
    }

    [Fact]
    public void Options_Defaults_AreValid()
    {
        var options = new TracingOptions();

        Assert.True(new TracingOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(30, options.RetentionDays);
        Assert.True(options.CaptureContent);
    }
}
