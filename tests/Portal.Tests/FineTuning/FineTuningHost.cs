using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;
using Portal.TestPeers;
using Portal.Tests.Hosting;
using Portal.Tests.Support;
using Portal.Web.FineTuning;

namespace Portal.Tests.FineTuning;

/// <summary>
/// The real portal (sign-in off: the local Owner) with its store in a SQLite file and connections to the fine-tuning
/// peer declared in configuration: OpenAI style (a dated gpt-4o-mini and gpt-4o), Azure OpenAI style, one with a wrong
/// key, one that offers no fine-tunable model, and an OpenAI-compatible one (no fine-tuning). The follower reads every 200 ms.
/// </summary>
internal sealed class FineTuningHost : IAsyncDisposable
{
    public const string Key = "sk-ft-jobs-peer-key-7Q2M";
    public const string OpenAI = "openai-ft";
    public const string Azure = "aoai-ft";
    public const string WrongKey = "openai-wrong-key";
    public const string NoModels = "openai-embeddings";
    public const string Compatible = "compat";

    private readonly bool _ownsTemp;

    private FineTuningHost(WebApplication app, OpenAiPeer peer, TempDirectory temp, bool ownsTemp)
    {
        App = app;
        Peer = peer;
        Temp = temp;
        _ownsTemp = ownsTemp;
    }

    public WebApplication App { get; }

    public OpenAiPeer Peer { get; }

    public TempDirectory Temp { get; }

    public IFineTuningStore Store => App.Services.GetRequiredService<IFineTuningStore>();

    public FineTuningFollower Follower => App.Services.GetRequiredService<FineTuningFollower>();

    public static async Task<FineTuningHost> StartAsync(OpenAiPeer peer, TempDirectory? temp = null, params string[] extraArgs)
    {
        var folder = temp ?? new TempDirectory();
        var app = PortalHost.Build(folder, [.. Args(peer), .. extraArgs]);
        await app.StartAsync();
        return new FineTuningHost(app, peer, folder, temp is null);
    }

    private static string[] Args(OpenAiPeer peer) =>
    [
        .. Connection(0, OpenAI, "OpenAI", peer.V1, Key, "gpt-4o-mini-2024-07-18", "gpt-4o", "text-embedding-3-small"),
        .. Connection(1, Azure, "AzureOpenAI", new Uri(peer.BaseUrl, "openai/v1/"), Key, "gpt-4o-mini"),
        .. Connection(2, WrongKey, "OpenAI", peer.V1, "sk-not-the-key-0000", "gpt-4o-mini"),
        .. Connection(3, NoModels, "OpenAI", peer.V1, Key, "text-embedding-3-small"),
        .. Connection(4, Compatible, "OpenAICompatible", peer.V1, Key, "gpt-4o-mini"),
        "--Portal:Inference:Timeout=00:00:05",
        "--Portal:FineTuning:PollInterval=00:00:00.200",
    ];

    private static IEnumerable<string> Connection(int i, string name, string kind, Uri endpoint, string key, params string[] models)
    {
        yield return $"--Portal:Connections:{i}:Name={name}";
        yield return $"--Portal:Connections:{i}:Kind={kind}";
        yield return $"--Portal:Connections:{i}:Endpoint={endpoint.AbsoluteUri}";
        yield return $"--Portal:Connections:{i}:ApiKey={key}";
        for (var m = 0; m < models.Length; m++)
        {
            yield return $"--Portal:Connections:{i}:Models:{m}={models[m]}";
        }
    }

    public InferenceTarget Target(bool azure) => azure
        ? new(Azure, ConnectionKind.AzureOpenAI, new Uri(Peer.BaseUrl, "openai/v1/"), ConnectionAuth.ApiKey, Key)
        : new(OpenAI, ConnectionKind.OpenAI, Peer.V1, ConnectionAuth.ApiKey, Key);

    /// <summary>Uploads a training file to the peer directly (as the training data page would have).</summary>
    public async Task<FineTuningFile> UploadAsync(bool azure, string name = "train.jsonl")
    {
        const string Examples = """
            {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}
            {"messages": [{"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Goodbye."}]}
            """;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Examples));
        return await App.Services.GetRequiredService<FineTuningClient>().UploadFileAsync(Target(azure), name, stream, null, CancellationToken.None);
    }

    public async Task<T> WithServiceAsync<T>(Func<FineTuningService, Task<T>> use)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<FineTuningService>());
    }

    public async Task<Guid> CreateAsync(FineTuningJobInput input)
    {
        var result = await WithServiceAsync(s => s.CreateAsync(input, CancellationToken.None));
        Assert.True(result.Created, result.Error ?? string.Join("; ", result.FieldErrors.Select(e => $"{e.Key}: {e.Value}")));
        return result.Id!.Value;
    }

    /// <summary>Waits until the stored job satisfies <paramref name="done"/> (at most <paramref name="seconds"/>).</summary>
    public async Task<FineTuningJobView> WaitAsync(Guid id, Func<FineTuningJobView, bool> done, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var row = await Store.GetJobAsync(id, CancellationToken.None);
            Assert.NotNull(row);
            var view = FineTuningJobView.From(row);
            if (done(view))
            {
                return view;
            }

            Assert.True(DateTime.UtcNow < until, $"The job is still {row.State} ({row.Status}) after {seconds} s; follow problem: {row.FollowProblem}");
            await Task.Delay(50);
        }
    }

    public Task<FineTuningJobView> WaitFinalAsync(Guid id, int seconds = 30) => WaitAsync(id, j => j.State.IsFinal(), seconds);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsTemp)
        {
            Temp.Dispose();
        }
    }
}
