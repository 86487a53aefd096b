using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Data.Tracing;
using Portal.Playground.Inference;
using Portal.TestPeers;
using Portal.Tests.Support;
using Portal.Web;
using Portal.Web.Hosting;
using Portal.Web.Playground;
using Portal.Web.Tracing;

namespace Portal.Tests.Hosting;

/// <summary><c>Portal:Shutdown:Timeout</c> becomes the host's shutdown timeout, validated at start; a stop writes the traces of the calls it ended.</summary>
public sealed class GracefulShutdownTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static async Task<(int ExitCode, string[] Lines)> RunAsync(params string[] settings)
    {
        using var temp = new TempDirectory();
        using var error = new StringWriter();
        var exitCode = await PortalWebApplication.RunAsync(
            [$"--Portal:Storage:SqlitePath={temp.File("portal.db")}", "--Urls=http://127.0.0.1:0", .. settings], error);
        return (exitCode, error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData("00:01:30", 90)]
    [InlineData("00:00:10", 10)]
    public async Task ShutdownTimeout_IsTheHostsShutdownTimeout(string? setting, int expectedSeconds)
    {
        using var temp = new TempDirectory();
        await using var app = PortalHost.Build(temp, setting is null ? [] : [$"--Portal:Shutdown:Timeout={setting}"]);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), app.Services.GetRequiredService<IOptions<ShutdownOptions>>().Value.Timeout);
    }

    [Theory]
    [InlineData("00:00:01")]
    [InlineData("00:30:00")]
    [InlineData("-00:00:30")]
    public async Task ShutdownTimeout_OutOfRange_StopsTheStart_NamingTheSetting(string value)
    {
        var (exitCode, lines) = await RunAsync($"--Portal:Shutdown:Timeout={value}");

        Assert.Equal(1, exitCode);
        var line = Assert.Single(lines);
        Assert.Contains($"Portal:Shutdown:Timeout '{TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)}' must be between 00:00:10 and 00:10:00", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShutdownTimeout_NotATimeSpan_StopsTheStart_NamingTheSetting()
    {
        var (exitCode, lines) = await RunAsync("--Portal:Shutdown:Timeout=soon");

        Assert.Equal(1, exitCode);
        var line = Assert.Single(lines);
        Assert.Contains("'soon' at 'Portal:Shutdown:Timeout'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_WhileAnAnswerStreams_ItsTraceIsWritten_MarkedCancelled()
    {
        await using var peer = await OpenAiPeer.StartAsync();
        using var temp = new TempDirectory();
        var app = PortalHost.Build(temp);
        ITraceStore traces;
        Task streaming;
        var answer = new ChatMessageState { Role = ChatRole.Assistant };
        await using (app)
        {
            await app.StartAsync();
            traces = app.Services.GetRequiredService<ITraceStore>();
            var inference = app.Services.GetRequiredService<InferenceService>();
            var runner = app.Services.GetRequiredService<StreamRunner>();
            var target = new InferenceTarget("peer", ConnectionKind.OpenAICompatible, peer.V1, ConnectionAuth.None, null);
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (ModelCallScope.Begin(new ModelCallScope { Feature = ModelCallFeatures.Chat, UserId = "local" }))
            {
                var stream = inference.StreamChatAsync(target, "peer-endless-slow", [new(ChatRole.User, "Never ends")], new GenerationParameters(), CancellationToken.None);
                streaming = runner.RunAsync(stream, answer, "peer-endless-slow", "Never ends", change =>
                {
                    change();
                    if (answer.Content.Length > 0)
                    {
                        arrived.TrySetResult();
                    }

                    return Task.CompletedTask;
                }, CancellationToken.None);
            }

            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(20));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await app.StopAsync();
            output.WriteLine($"Stopped in {watch.Elapsed.TotalSeconds:0.00} s.");
            await streaming.WaitAsync(TimeSpan.FromSeconds(10));

            // The stop has written the trace of the call it ended (the store is still open until the app is disposed).
            var (items, total) = await traces.QueryAsync(new TraceQuery { Model = "peer-endless-slow" }, CancellationToken.None);
            Assert.Equal(1, total);
            Assert.Equal(TraceStatus.Cancelled, items[0].Status);
            Assert.Same(StreamRunner.ShutDown, answer.Error);
        }
    }

    [Fact]
    public async Task WriterStop_WaitsForACallStillEnding_AndWritesItsTrace()
    {
        await using var rig = await Tracing.TracingRig.StartAsync();
        var request = new ModelCallRequest(rig.Target(), "peer-chat", ModelCallOperations.Chat, Tracing.TracingRig.Hello, new GenerationParameters());
        Guid? traceId;
        var scope = new ModelCallScope { Feature = ModelCallFeatures.Chat, UserId = "local" };
        IModelCallObservation call;
        using (ModelCallScope.Begin(scope))
        {
            call = rig.Recorder.Start(request);
            traceId = scope.TraceId;
        }

        await rig.Writer.StartAsync(CancellationToken.None);
        var stopping = rig.Writer.StopAsync(CancellationToken.None);
        await Task.Delay(300);
        Assert.False(stopping.IsCompleted, "The writer stopped while a call was still ending.");
        Assert.Equal(1, rig.Recorder.OpenCalls);

        call.OnText("partial");
        call.OnEnded(ModelCallStatus.Cancelled, null);
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));

        var row = await rig.Store.GetAsync(traceId!.Value, null, CancellationToken.None);
        Assert.NotNull(row);
        Assert.Equal(TraceStatus.Cancelled, row.Status);
        Assert.Equal(0, rig.Recorder.OpenCalls);
    }
}
