using Microsoft.Extensions.Logging;
using Portal.Catalog.Query;
using Portal.Catalog.Sources;

namespace Portal.Catalog;

/// <summary>How one catalog source fared at the last load.</summary>
public sealed record CatalogSourceStatus(string Name, int ModelCount, string? Error);

public interface ICatalogService
{
    /// <summary>The merged catalog now. Never empty: the embedded catalog is always there.</summary>
    CatalogIndex Current { get; }

    IReadOnlyList<CatalogSourceStatus> Sources { get; }

    /// <summary>Raised after a reload changed <see cref="Current"/>.</summary>
    event Action? Changed;

    Task ReloadAsync(CancellationToken cancellationToken);
}

/// <summary>Loads every source, merges them, and swaps the index in one step. A failing source is reported and skipped.</summary>
public sealed partial class CatalogService : ICatalogService, IDisposable
{
    private readonly ICatalogSource[] _sources;
    private readonly ILogger<CatalogService> _logger;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile CatalogIndex _current;
    private volatile IReadOnlyList<CatalogSourceStatus> _status;

    public CatalogService(IEnumerable<ICatalogSource> sources, ILogger<CatalogService> logger)
    {
        _sources = [.. sources.OrderBy(s => s.Order)];
        _logger = logger;
        _current = new CatalogIndex(EmbeddedCatalogSource.Models);
        _status = [new CatalogSourceStatus("Embedded catalog", _current.Count, null)];
    }

    public CatalogIndex Current => _current;

    public IReadOnlyList<CatalogSourceStatus> Sources => _status;

    public event Action? Changed;

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var layers = new List<IReadOnlyList<CatalogModel>>();
            var status = new List<CatalogSourceStatus>();
            foreach (var source in _sources)
            {
                try
                {
                    var load = await source.LoadWithProblemsAsync(cancellationToken).ConfigureAwait(false);
                    layers.Add(load.Models);
                    status.Add(new(source.Name, load.Models.Count, load.Problems.Count == 0 ? null
                        : $"{source.Name} loaded in part; the rest of the catalog is shown. {string.Join(" ", load.Problems)}"));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogSourceFailed(_logger, ex, source.Name);
                    status.Add(new(source.Name, 0, $"{source.Name} could not be loaded; the rest of the catalog is shown. ({ex.Message})"));
                }
            }

            _current = new CatalogIndex(CatalogMerger.Merge(layers));
            _status = status;
        }
        finally
        {
            _reload.Release();
        }

        Changed?.Invoke();
    }

    public void Dispose() => _reload.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog source {Source} failed to load")]
    private static partial void LogSourceFailed(ILogger logger, Exception exception, string source);
}
