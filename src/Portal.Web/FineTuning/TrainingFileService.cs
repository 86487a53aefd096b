using Portal.Catalog;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Connections;

namespace Portal.Web.FineTuning;

/// <summary>A kept training file as the page lists it (without its content).</summary>
public sealed record TrainingFileView(
    Guid Id,
    string FileName,
    FineTuningMethod Method,
    long Bytes,
    int Examples,
    long EstimatedTokens,
    string? Connection,
    string? ProviderFileId,
    string? UploadError,
    DateTimeOffset CreatedUtc,
    DateTimeOffset? UploadedUtc)
{
    public static TrainingFileView From(FineTuningFileRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Id, row.FileName, MethodOf(row.Method), row.Bytes, row.Examples, row.EstimatedTokens,
            string.IsNullOrEmpty(row.Connection) ? null : row.Connection, row.ProviderFileId, row.UploadError, row.CreatedUtc, row.UploadedUtc);
    }

    public static FineTuningMethod MethodOf(string? method) =>
        string.Equals(method, "dpo", StringComparison.OrdinalIgnoreCase) ? FineTuningMethod.Dpo : FineTuningMethod.Supervised;

    public static string MethodName(FineTuningMethod method) => method == FineTuningMethod.Dpo ? "dpo" : "supervised";

    public static string MethodLabel(FineTuningMethod method) => method == FineTuningMethod.Dpo ? "Preference (DPO)" : "Supervised";
}

/// <summary>
/// What an upload came to: the kept file (null when the file was invalid and nothing was kept), the validation report
/// when the file was new, the provider's file once uploaded, or the provider's refusal in words.
/// </summary>
public sealed record TrainingUploadResult(TrainingFileView? File, TrainingDataReport? Report, FineTuningFile? Uploaded, string? Problem)
{
    public bool Succeeded => Uploaded is not null;
}

/// <summary>A connection's files, or why they could not be listed.</summary>
public sealed record ProviderFilesResult(IReadOnlyList<FineTuningFile> Files, string? Problem);

/// <summary>
/// Training files: validated before anything leaves the portal, kept (content and statistics, only when valid) so a
/// refused or failed upload loses nothing, uploaded to a fine-tuning connection's Files API with progress, listed and
/// deleted. Changing anything needs <see cref="PortalAction.ManageTrainingFiles"/> (demanded and audited here, never with
/// the key); a user sees and changes only their own kept files.
/// </summary>
public sealed class TrainingFileService(
    IFineTuningStore store,
    ConnectionService connections,
    FineTuningClient client,
    AccessControl access,
    ICatalogService catalog,
    TimeProvider time)
{
    /// <summary>The catalog's fine-tunable models (with fine-tuning tasks), by name.</summary>
    public IReadOnlyList<CatalogModel> FineTunableModels() =>
        [.. catalog.Current.Models.Where(m => m.FineTuningTasks.Count > 0).OrderBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase)];

    /// <summary>The catalog model by id or alias; null when unknown.</summary>
    public CatalogModel? Model(string? catalogModelId) => string.IsNullOrWhiteSpace(catalogModelId)
        ? null
        : catalog.Current.Find(catalogModelId) ?? catalog.Current.Models.FirstOrDefault(m => m.Aliases.Contains(catalogModelId, StringComparer.OrdinalIgnoreCase));

    /// <summary>Checks a file (nothing is stored or sent): every problem with its line, statistics, tokens, the context window check.</summary>
    public TrainingDataReport Validate(byte[] content, FineTuningMethod method, string? catalogModelId)
    {
        ArgumentNullException.ThrowIfNull(content);
        return TrainingDataValidator.Validate(content, method, Model(catalogModelId)?.ContextWindowTokens);
    }

    /// <summary>The connections that serve fine-tuning (OpenAI and Azure OpenAI).</summary>
    public async Task<IReadOnlyList<ConnectionView>> ConnectionsAsync(CancellationToken cancellationToken) =>
        [.. (await connections.ListAsync(cancellationToken)).Where(c => FineTuningClient.Supports(c.Kind))];

    /// <summary>The current user's kept files, newest first.</summary>
    public async Task<IReadOnlyList<TrainingFileView>> ListKeptAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListFilesAsync(access.User.Id, cancellationToken)).Select(TrainingFileView.From)];

    /// <summary>
    /// Validates the file again, keeps it when it is valid, and uploads it to <paramref name="connection"/>. An invalid file
    /// is neither kept nor sent (the report says why); a refused upload leaves the file kept with its error.
    /// </summary>
    public async Task<TrainingUploadResult> UploadNewAsync(string fileName, byte[] content, FineTuningMethod method, string? catalogModelId, string connection,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var name = SafeName(fileName);
        await access.DemandAsync(PortalAction.ManageTrainingFiles, $"training-file:{name}", cancellationToken);
        // Checked again here (the page's check may be stale): tokenizing a large file takes a moment, off the caller's thread.
        var report = await Task.Run(() => Validate(content, method, catalogModelId), cancellationToken);
        if (!report.IsValid)
        {
            await access.FailedAsync(PortalAction.ManageTrainingFiles, $"training-file:{name}", $"refused: {report.TotalErrors} problems, nothing kept or sent");
            return new(null, report, null, $"The file has {report.TotalErrors} {(report.TotalErrors == 1 ? "problem" : "problems")}: it was not kept and not sent.");
        }

        if (await UsableConnectionAsync(connection, cancellationToken) is { } unusable)
        {
            return new(null, report, null, unusable);
        }

        var row = new FineTuningFileRow
        {
            Id = Guid.NewGuid(),
            OwnerId = access.User.Id,
            Connection = "",
            FileName = name,
            Method = TrainingFileView.MethodName(method),
            Bytes = content.LongLength,
            Examples = report.Examples,
            EstimatedTokens = report.TotalTokens,
            StatsJson = FineTuningRowJson.Write(report.Stats()),
            Content = content,
            CreatedUtc = time.GetUtcNow(),
        };
        await store.AddFileAsync(row, cancellationToken);
        await access.SucceededAsync(PortalAction.ManageTrainingFiles, $"training-file:{name}", $"kept ({report.Examples} examples)");
        var result = await SendAsync(row, connection, progress, cancellationToken);
        return result with { Report = report };
    }

    /// <summary>Uploads a kept file (again) to <paramref name="connection"/>: the same or another one.</summary>
    public async Task<TrainingUploadResult> UploadAgainAsync(Guid id, string connection, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var row = await OwnFileAsync(id, cancellationToken);
        await access.DemandAsync(PortalAction.ManageTrainingFiles, $"training-file:{row?.FileName ?? id.ToString()}", cancellationToken);
        if (row is null)
        {
            return new(null, null, null, "This training file is no longer kept; it may have been deleted in another tab.");
        }

        if (await UsableConnectionAsync(connection, cancellationToken) is { } unusable)
        {
            return new(TrainingFileView.From(row), null, null, unusable);
        }

        return await SendAsync(row, connection, progress, cancellationToken);
    }

    /// <summary>The files on a connection whose purpose is fine-tuning, or why they could not be read.</summary>
    public async Task<ProviderFilesResult> ListProviderFilesAsync(string connection, CancellationToken cancellationToken)
    {
        if (await UsableConnectionAsync(connection, cancellationToken) is { } unusable)
        {
            return new([], unusable);
        }

        try
        {
            var target = await connections.TargetAsync(connection, cancellationToken);
            if (target is null)
            {
                return new([], $"There is no connection named '{connection}'.");
            }

            var files = await client.ListFilesAsync(target, cancellationToken);
            return new([.. files.Where(f => f.Purpose.StartsWith("fine-tune", StringComparison.OrdinalIgnoreCase)).OrderByDescending(f => f.CreatedAt)], null);
        }
        catch (InferenceException ex)
        {
            return new([], InWords(ex.Error));
        }
    }

    /// <summary>
    /// Deletes a file on the connection. Kept files that were uploaded as it forget that upload (they stay kept and can be
    /// uploaded again). Returns the provider's refusal in words, or null when it is gone.
    /// </summary>
    public async Task<string?> DeleteProviderFileAsync(string connection, string providerFileId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerFileId);
        var auditTarget = $"training-file:{connection}/{providerFileId}";
        await access.DemandAsync(PortalAction.ManageTrainingFiles, auditTarget, cancellationToken);
        if (await UsableConnectionAsync(connection, cancellationToken) is { } unusable)
        {
            return unusable;
        }

        try
        {
            var target = await connections.TargetAsync(connection, cancellationToken);
            if (target is null)
            {
                return $"There is no connection named '{connection}'.";
            }

            await client.DeleteFileAsync(target, providerFileId, cancellationToken);
        }
        catch (InferenceException ex)
        {
            await access.FailedAsync(PortalAction.ManageTrainingFiles, auditTarget, $"delete refused ({ex.Error.Kind})");
            return InWords(ex.Error);
        }

        foreach (var kept in await store.ListFilesAsync(access.User.Id, cancellationToken))
        {
            if (kept.ProviderFileId == providerFileId && string.Equals(kept.Connection, connection, StringComparison.OrdinalIgnoreCase))
            {
                kept.ProviderFileId = null;
                kept.UploadedUtc = null;
                kept.UploadError = null;
                await store.UpdateFileAsync(kept, cancellationToken);
            }
        }

        await access.SucceededAsync(PortalAction.ManageTrainingFiles, auditTarget, "deleted on the connection");
        return null;
    }

    /// <summary>Deletes the kept copy (the provider's file, if any, stays: delete it in the connection's list). False when it is gone.</summary>
    public async Task<bool> DeleteKeptAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await OwnFileAsync(id, cancellationToken);
        var auditTarget = $"training-file:{row?.FileName ?? id.ToString()}";
        await access.DemandAsync(PortalAction.ManageTrainingFiles, auditTarget, cancellationToken);
        if (row is null || !await store.DeleteFileAsync(id, cancellationToken))
        {
            return false;
        }

        await access.SucceededAsync(PortalAction.ManageTrainingFiles, auditTarget, "kept copy deleted");
        return true;
    }

    private async Task<TrainingUploadResult> SendAsync(FineTuningFileRow row, string connection, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var auditTarget = $"training-file:{row.FileName}";
        string? problem = null;
        FineTuningFile? uploaded = null;
        try
        {
            var target = await connections.TargetAsync(connection, cancellationToken);
            if (target is null)
            {
                problem = $"There is no connection named '{connection}'.";
            }
            else
            {
                using var stream = new MemoryStream(row.Content, writable: false);
                uploaded = await client.UploadFileAsync(target, row.FileName, stream, progress, cancellationToken);
            }
        }
        catch (InferenceException ex)
        {
            problem = InWords(ex.Error);
        }

        row.Connection = connection.Trim();
        row.ProviderFileId = uploaded?.Id;
        row.UploadError = problem;
        row.UploadedUtc = uploaded is null ? null : time.GetUtcNow();
        await store.UpdateFileAsync(row, cancellationToken);
        if (uploaded is null)
        {
            await access.FailedAsync(PortalAction.ManageTrainingFiles, auditTarget, $"upload to {connection} refused");
        }
        else
        {
            await access.SucceededAsync(PortalAction.ManageTrainingFiles, auditTarget, $"uploaded to {connection} as {uploaded.Id}");
        }

        return new(TrainingFileView.From(row), null, uploaded, problem);
    }

    private async Task<string?> UsableConnectionAsync(string? connection, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(connection))
        {
            return "Choose a connection to upload to.";
        }

        var found = await connections.FindAsync(connection, cancellationToken);
        if (found is null)
        {
            return $"There is no connection named '{connection}'. Add one in Settings → Connections (kind OpenAI or Azure OpenAI).";
        }

        return FineTuningClient.Supports(found.Kind)
            ? null
            : $"The connection '{found.Name}' is of kind {found.Kind}, which has no fine-tuning API: use an OpenAI or Azure OpenAI connection.";
    }

    /// <summary>The current user's kept file with its content; null when it is gone or someone else's.</summary>
    private async Task<FineTuningFileRow?> OwnFileAsync(Guid id, CancellationToken cancellationToken) =>
        await store.GetFileAsync(id, cancellationToken) is { } row && row.OwnerId == access.User.Id ? row : null;

    /// <summary>A provider's error as a sentence, with the provider's own words when it gave any.</summary>
    public static string InWords(InferenceError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.ProviderMessage is { Length: > 0 } said && !error.Message.Contains(said, StringComparison.Ordinal)
            ? $"{error.Message} The provider said: “{said}”"
            : error.Message;
    }

    private static string SafeName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? "").Trim());
        name = new string([.. name.Where(c => !char.IsControl(c))]);
        if (name.Length == 0)
        {
            name = "training.jsonl";
        }

        return name.Length > 200 ? name[^200..] : name;
    }
}
