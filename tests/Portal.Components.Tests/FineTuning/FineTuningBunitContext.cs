using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.FineTuning;
using Portal.TestPeers;
using Portal.Web.Connections;
using Portal.Web.Hosting;

namespace Portal.Components.Tests.FineTuning;

/// <summary>
/// A bUnit context with the portal's fine-tuning services (the real service, client and follower's reading) against a
/// fine-tuning peer on loopback, jobs kept in memory, and the connections the test class declares.
/// </summary>
public abstract class FineTuningBunitContext : PortalBunitContext, IAsyncLifetime
{
    public const string Key = "sk-bunit-fine-tuning-3D9F";

    protected FineTuningBunitContext(Func<OpenAiPeer, IEnumerable<ConfiguredConnection>> connections)
        : this(OpenAiPeer.StartAsync(Key).GetAwaiter().GetResult(), new FakeFineTuningStore(), connections)
    {
    }

    private FineTuningBunitContext(OpenAiPeer peer, FakeFineTuningStore store, Func<OpenAiPeer, IEnumerable<ConfiguredConnection>> connections)
        : base(services => AddFineTuning(services, store), ConnectionSettings(connections(peer)))
    {
        Peer = peer;
        Jobs = store;
        Peer.FineTuningStepInterval = TimeSpan.FromMinutes(5); // jobs stay where the test puts them
    }

    protected OpenAiPeer Peer { get; }

    protected FakeFineTuningStore Jobs { get; }

    private static void AddFineTuning(IServiceCollection services, FakeFineTuningStore store)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Portal:FineTuning:PollInterval"] = "00:00:01" }).Build();
        services.AddFineTuningJobs(configuration);
        services.AddSingleton<IFineTuningStore>(store);
    }

    protected static ConfiguredConnection OpenAI(OpenAiPeer peer, string name = "openai-ft") =>
        new() { Name = name, Kind = "OpenAI", Endpoint = peer.V1.AbsoluteUri, ApiKey = Key, Models = ["gpt-4o-mini-2024-07-18", "gpt-4o"] };

    public Task InitializeAsync() => Task.CompletedTask;

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Peer.DisposeAsync();
    }
}

/// <summary>Jobs and files in memory; each read returns a copy, as the store's no-tracking reads do.</summary>
public sealed class FakeFineTuningStore : IFineTuningStore
{
    private readonly List<FineTuningJobRow> _jobs = [];
    private readonly List<FineTuningFileRow> _files = [];
    private readonly Lock _gate = new();

    private static T Copy<T>(T row) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(row))!;

    public IReadOnlyList<FineTuningJobRow> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _jobs.Select(Copy)];
            }
        }
    }

    public Task<IReadOnlyList<FineTuningJobRow>> ListJobsAsync(string? ownerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<FineTuningJobRow>>([.. _jobs.Where(j => ownerId is null || j.OwnerId == ownerId).OrderByDescending(j => j.CreatedUtc).Select(Copy)]);
        }
    }

    public Task<IReadOnlyList<FineTuningJobRow>> ListUnfinishedJobsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<FineTuningJobRow>>([.. _jobs.Where(j => j.State is not ("Succeeded" or "Failed" or "Cancelled")).Select(Copy)]);
        }
    }

    public Task<FineTuningJobRow?> GetJobAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_jobs.FirstOrDefault(j => j.Id == id) is { } row ? Copy(row) : null);
        }
    }

    public Task AddJobAsync(FineTuningJobRow job, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _jobs.Add(Copy(job));
        }

        return Task.CompletedTask;
    }

    public Task<bool> UpdateJobAsync(FineTuningJobRow job, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var at = _jobs.FindIndex(j => j.Id == job.Id);
            if (at >= 0)
            {
                _jobs[at] = Copy(job);
            }

            return Task.FromResult(at >= 0);
        }
    }

    public Task<bool> DeleteJobAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_jobs.RemoveAll(j => j.Id == id) > 0);
        }
    }

    public Task<IReadOnlyList<FineTuningFileRow>> ListFilesAsync(string ownerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<FineTuningFileRow>>([.. _files.Where(f => f.OwnerId == ownerId).Select(Copy)]);
        }
    }

    public Task<FineTuningFileRow?> GetFileAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_files.FirstOrDefault(f => f.Id == id) is { } row ? Copy(row) : null);
        }
    }

    public Task AddFileAsync(FineTuningFileRow file, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _files.Add(Copy(file));
        }

        return Task.CompletedTask;
    }

    public Task<bool> UpdateFileAsync(FineTuningFileRow file, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<bool> DeleteFileAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_files.RemoveAll(f => f.Id == id) > 0);
        }
    }
}
