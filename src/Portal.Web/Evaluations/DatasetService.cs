using System.Security.Cryptography;
using Portal.Data.Evaluations;
using Portal.Web.Access;

namespace Portal.Web.Evaluations;

/// <summary>
/// Datasets: every signed-in person reads them; uploading or versioning needs <see cref="PortalAction.ManageDatasets"/>,
/// changing or deleting someone else's also <see cref="PortalAction.ManageOthersEvaluations"/>. The example dataset is
/// read-only.
/// </summary>
public sealed class DatasetService(IEvaluationStore store, AccessControl access, TimeProvider time) : IDatasetService
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;

    public async Task<DatasetParseResult> ParseAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        var (bytes, tooBig) = await DatasetParser.ReadLimitedAsync(content, cancellationToken);
        return bytes is null
            ? new DatasetParseResult(DatasetParser.DetectFormat(fileName, []), [], [], [tooBig!], 0)
            : DatasetParser.Parse(bytes, fileName);
    }

    public async Task<IReadOnlyList<DatasetSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var datasets = await store.ListDatasetsAsync(cancellationToken);
        var summaries = new List<DatasetSummary>();
        foreach (var dataset in datasets.OrderByDescending(d => d.IsExample).ThenByDescending(d => d.UpdatedUtc))
        {
            summaries.Add(await SummaryAsync(dataset, cancellationToken));
        }

        return summaries;
    }

    public async Task<DatasetSummary?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await store.GetDatasetAsync(id, cancellationToken) is { } dataset ? await SummaryAsync(dataset, cancellationToken) : null;

    private async Task<DatasetSummary> SummaryAsync(StoredDataset dataset, CancellationToken cancellationToken)
    {
        var versions = await store.ListVersionsAsync(dataset.Id, cancellationToken);
        return ToSummary(dataset, versions.Count > 0 ? versions[0].Rows : 0);
    }

    private static DatasetSummary ToSummary(StoredDataset d, int rows) =>
        new(d.Id, d.Name, d.Description, d.LatestVersion, rows, d.UpdatedUtc, d.OwnerId, d.OwnerName, d.IsExample);

    public async Task<IReadOnlyList<DatasetVersionInfo>> VersionsAsync(Guid id, CancellationToken cancellationToken) =>
        [.. (await store.ListVersionsAsync(id, cancellationToken)).Select(v => new DatasetVersionInfo(v.Version, v.Rows, v.FileName, v.Format, v.Content.LongLength, v.Sha256, v.CreatedUtc, v.CreatedBy))];

    public async Task<IReadOnlyList<DatasetRow>> RowsAsync(Guid id, int? version, CancellationToken cancellationToken)
    {
        var number = version ?? (await store.GetDatasetAsync(id, cancellationToken))?.LatestVersion;
        if (number is not { } v || await store.GetVersionAsync(id, v, cancellationToken) is not { } stored)
        {
            return [];
        }

        return DatasetParser.Parse(stored.Content, stored.FileName).Rows;
    }

    public async Task<DatasetSaveResult> SaveAsync(string name, string? description, Stream content, string fileName, Guid? addVersionTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var existing = addVersionTo is { } id ? await store.GetDatasetAsync(id, cancellationToken) : null;
        var target = existing is null ? $"dataset:{Cut(name, 200)}" : $"dataset:{existing.Name}";
        await DemandOwnOrOthersAsync(existing?.OwnerId, target, cancellationToken);

        var problems = new List<DatasetProblem>();
        if (addVersionTo is not null && existing is null)
        {
            problems.Add(new(null, null, "This dataset no longer exists; it may have been deleted in another tab."));
        }
        else if (existing is { IsExample: true })
        {
            problems.Add(new(null, null, "The example dataset ships with the portal and is read-only: upload your file as a new dataset."));
        }

        if (existing is null)
        {
            problems.AddRange(NameProblems(name, description));
        }

        if (problems.Count > 0)
        {
            return new(null, null, problems);
        }

        var (bytes, tooBig) = await DatasetParser.ReadLimitedAsync(content, cancellationToken);
        if (bytes is null)
        {
            return new(null, null, [tooBig!]);
        }

        var parsed = DatasetParser.Parse(bytes, fileName);
        if (!parsed.IsValid)
        {
            return new(null, null, parsed.Problems);
        }

        return await StoreAsync(existing, name, description, bytes, string.IsNullOrWhiteSpace(fileName) ? $"dataset.{parsed.Format}" : Path.GetFileName(fileName), parsed, cancellationToken);
    }

    public async Task<DatasetSaveResult> CreateFromRowsAsync(string name, string? description, IReadOnlyList<DatasetRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await access.DemandAsync(PortalAction.ManageDatasets, $"dataset:{Cut(name, 200)}", cancellationToken);
        var problems = NameProblems(name, description);
        if (problems.Count > 0)
        {
            return new(null, null, problems);
        }

        var bytes = DatasetParser.WriteJsonl(rows);
        var parsed = DatasetParser.Parse(bytes, "rows.jsonl");
        if (!parsed.IsValid)
        {
            return new(null, null, parsed.Problems);
        }

        return await StoreAsync(null, name, description, bytes, Slug(name) + ".jsonl", parsed, cancellationToken);
    }

    private async Task<DatasetSaveResult> StoreAsync(StoredDataset? existing, string name, string? description, byte[] bytes, string fileName, DatasetParseResult parsed, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var version = new StoredDatasetVersion
        {
            FileName = Cut(fileName, 260),
            Format = parsed.Format,
            Content = bytes,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Rows = parsed.Rows.Count,
            CreatedBy = Cut(access.User.IsSignedIn ? access.User.Email ?? access.User.DisplayName : access.User.DisplayName, 200),
            CreatedUtc = now,
        };
        StoredDataset saved;
        if (existing is null)
        {
            saved = new StoredDataset
            {
                Id = Guid.NewGuid(),
                Name = name.Trim(),
                Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
                OwnerId = access.User.Id,
                OwnerName = version.CreatedBy,
                CreatedUtc = now,
                UpdatedUtc = now,
            };
            await store.AddDatasetAsync(saved, version, cancellationToken);
        }
        else if (await store.AddVersionAsync(existing.Id, version, cancellationToken) is { } updated)
        {
            saved = updated;
        }
        else
        {
            return new(null, null, [new(null, null, "This dataset no longer exists; it may have been deleted in another tab.")]);
        }

        await access.SucceededAsync(PortalAction.ManageDatasets, $"dataset:{saved.Name}", $"version {version.Version}, {version.Rows} rows");
        return new(ToSummary(saved, version.Rows), version.Version, []);
    }

    public async Task<DatasetDownload?> DownloadAsync(Guid id, int version, CancellationToken cancellationToken)
    {
        var stored = await store.GetVersionAsync(id, version, cancellationToken);
        return stored is null
            ? null
            : new DatasetDownload(stored.Content, stored.FileName, stored.Format == DatasetParser.Csv ? "text/csv" : "application/jsonl");
    }

    /// <remarks>The example dataset cannot be deleted: it throws <see cref="InvalidOperationException"/> with a message to show.</remarks>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var existing = await store.GetDatasetAsync(id, cancellationToken);
        var target = $"dataset:{existing?.Name ?? id.ToString()}";
        await DemandOwnOrOthersAsync(existing?.OwnerId, target, cancellationToken);
        if (existing is null)
        {
            return;
        }

        if (existing.IsExample)
        {
            throw new InvalidOperationException("The example dataset ships with the portal and cannot be deleted.");
        }

        if (await store.DeleteDatasetAsync(id, cancellationToken))
        {
            await access.SucceededAsync(PortalAction.ManageDatasets, target, "deleted");
        }
    }

    /// <summary>
    /// A new or one's own dataset needs <see cref="PortalAction.ManageDatasets"/>; someone else's (or the example)
    /// <see cref="PortalAction.ManageOthersEvaluations"/> (a higher role, which includes managing datasets).
    /// </summary>
    private Task DemandOwnOrOthersAsync(string? owner, string target, CancellationToken cancellationToken) =>
        access.DemandAsync(owner is not null && owner != access.User.Id ? PortalAction.ManageOthersEvaluations : PortalAction.ManageDatasets, target, cancellationToken);

    private static List<DatasetProblem> NameProblems(string? name, string? description)
    {
        var problems = new List<DatasetProblem>();
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add(new(null, "name", "Enter a name for the dataset."));
        }
        else if (name.Trim().Length > MaxNameLength)
        {
            problems.Add(new(null, "name", $"Use at most {MaxNameLength} characters for the name."));
        }

        if (description is { Length: > MaxDescriptionLength })
        {
            problems.Add(new(null, "description", $"Use at most {MaxDescriptionLength} characters for the description."));
        }

        return problems;
    }

    private static string Cut(string? value, int max) => (value ?? "").Trim() is var t && t.Length > max ? t[..max] : t;

    private static string Slug(string name)
    {
        var slug = new string([.. name.Trim().ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-')]).Trim('-');
        return slug.Length == 0 ? "dataset" : slug.Length > 60 ? slug[..60] : slug;
    }
}
