using System.Text.RegularExpressions;
using Portal.Catalog;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Connections;

namespace Portal.Web.FineTuning;

/// <summary>A connection that serves fine-tuning, with the catalog's fine-tunable base models it offers.</summary>
public sealed record FineTuningConnection(string Name, ConnectionKind Kind, IReadOnlyList<BaseModelOption> BaseModels)
{
    /// <summary>Why nothing can be fine-tuned on it, or null when it offers base models.</summary>
    public string? NoModelsNote => BaseModels.Count > 0 ? null
        : $"The connection '{Name}' offers none of the catalog's fine-tunable models: add one (for example gpt-4o-mini) to its models in Settings → Connections.";
}

/// <summary>What the new-job form asks for; it stays as typed when the job cannot be created.</summary>
public sealed class FineTuningJobInput
{
    public string? Connection { get; set; }

    /// <summary>The base model as the connection names it (<see cref="BaseModelOption.ProviderModel"/>).</summary>
    public string? BaseModel { get; set; }

    public string? TrainingFile { get; set; }

    public string? ValidationFile { get; set; }

    public FineTuningMethod Method { get; set; } = FineTuningMethod.Supervised;

    /// <summary>Null: automatic (the provider chooses).</summary>
    public int? Epochs { get; set; }

    public int? BatchSize { get; set; }

    public double? LearningRateMultiplier { get; set; }

    /// <summary>DPO only.</summary>
    public double? Beta { get; set; }

    public long? Seed { get; set; }

    public string? Suffix { get; set; }
}

/// <summary>The new job's id, or what is wrong: field messages (by <see cref="FineTuningService"/> field name) or the provider's refusal in words.</summary>
public sealed record FineTuningCreateResult(Guid? Id, IReadOnlyDictionary<string, string> FieldErrors, string? Error)
{
    public bool Created => Id is not null;
}

/// <summary>
/// Fine-tuning jobs: the connections that serve fine-tuning and the base models they offer, creating a job (validated
/// first; nothing is sent when the form is invalid, nothing is stored when the provider refuses), the jobs a user
/// follows (a Contributor sees everyone's), cancelling and reading one now. Starting, following and cancelling need
/// <see cref="PortalAction.FineTune"/> (Azure AI Developer); someone else's job <see cref="PortalAction.ManageOthersFineTuning"/>.
/// </summary>
public sealed partial class FineTuningService(
    ConnectionService connections,
    ICatalogService catalog,
    FineTuningClient client,
    IFineTuningStore store,
    FineTuningFollower follower,
    FineTuningChanges changes,
    OwnerTargets ownerTargets,
    AccessControl access,
    FineTuningCost cost,
    TimeProvider time)
{
    public const string ConnectionField = "connection";
    public const string BaseModelField = "baseModel";
    public const string TrainingFileField = "trainingFile";
    public const string ValidationFileField = "validationFile";
    public const string EpochsField = "epochs";
    public const string BatchSizeField = "batchSize";
    public const string LearningRateField = "learningRateMultiplier";
    public const string BetaField = "beta";
    public const string SeedField = "seed";
    public const string SuffixField = "suffix";

    /// <summary>
    /// OpenAI's documented limit for a suffix ("a string of up to 64 characters that will be added to your fine-tuned
    /// model name", the fine-tuning jobs API reference as the current OpenAI SDKs carry it; older references said 18);
    /// lower-case letters, digits, '-' and '_' keep the model name valid everywhere.
    /// </summary>
    public const int MaxSuffixLength = 64;

    public async Task<IReadOnlyList<FineTuningConnection>> ListConnectionsAsync(CancellationToken cancellationToken)
    {
        var all = await connections.ListAsync(cancellationToken);
        var models = catalog.Current.Models;
        return [.. all.Where(c => FineTuningClient.Supports(c.Kind)).Select(c => new FineTuningConnection(c.Name, c.Kind, FineTuningBaseModels.Offered(c.Models, models)))];
    }

    /// <summary>The connection's uploaded files for fine-tuning (newest first), or why they could not be read.</summary>
    public async Task<(IReadOnlyList<FineTuningFile> Files, string? Problem)> ListProviderFilesAsync(string connection, CancellationToken cancellationToken)
    {
        try
        {
            var target = await connections.TargetAsync(connection, cancellationToken);
            if (target is null)
            {
                return ([], $"There is no connection named '{connection}' (Settings → Connections).");
            }

            var files = await client.ListFilesAsync(target, cancellationToken);
            return ([.. files.Where(f => string.Equals(f.Purpose, "fine-tune", StringComparison.OrdinalIgnoreCase)).OrderByDescending(f => f.CreatedAt)], null);
        }
        catch (InferenceException ex)
        {
            return ([], "The connection's files could not be listed: " + FineTuningText.Describe(ex.Error) + " You can still type a file id.");
        }
        catch (PortalAccessDeniedException ex)
        {
            return ([], ex.Message);
        }
    }

    /// <summary>Validates the form; when it is valid, creates the job at the provider and stores it for the follower.</summary>
    public async Task<FineTuningCreateResult> CreateAsync(FineTuningJobInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var connectionName = input.Connection?.Trim() ?? "";
        var auditTarget = $"fine-tuning:{Cut(connectionName)}/{Cut(input.BaseModel?.Trim() ?? "")}";
        await access.DemandAsync(PortalAction.FineTune, auditTarget, cancellationToken);

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var available = await ListConnectionsAsync(cancellationToken);
        var connection = available.FirstOrDefault(c => string.Equals(c.Name, connectionName, StringComparison.OrdinalIgnoreCase));
        BaseModelOption? baseModel = null;
        if (connectionName.Length == 0)
        {
            errors[ConnectionField] = available.Count == 0
                ? "No connection serves fine-tuning: add one of kind OpenAI or Azure OpenAI in Settings → Connections."
                : "Choose a connection.";
        }
        else if (connection is null)
        {
            errors[ConnectionField] = (await connections.FindAsync(connectionName, cancellationToken)) is { } other
                ? $"The connection '{other.Name}' ({other.Kind}) does not serve fine-tuning; only OpenAI and Azure OpenAI connections do."
                : $"There is no connection named '{connectionName}'.";
        }
        else
        {
            baseModel = connection.BaseModels.FirstOrDefault(m => string.Equals(m.ProviderModel, input.BaseModel?.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? connection.BaseModels.FirstOrDefault(m => string.Equals(m.CatalogId, input.BaseModel?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (connection.BaseModels.Count == 0)
            {
                errors[BaseModelField] = connection.NoModelsNote!;
            }
            else if (string.IsNullOrWhiteSpace(input.BaseModel))
            {
                errors[BaseModelField] = "Choose a base model.";
            }
            else if (baseModel is null)
            {
                errors[BaseModelField] = $"'{input.BaseModel.Trim()}' is not a fine-tunable model that '{connection.Name}' offers; choose one of: {string.Join(", ", connection.BaseModels.Select(m => m.ProviderModel))}.";
            }
        }

        Validate(input, errors);
        if (errors.Count > 0 || connection is null || baseModel is null)
        {
            return new(null, errors, null);
        }

        var hyper = new FineTuningHyperparameters(Hyper(input.Epochs), Hyper(input.BatchSize), Hyper(input.LearningRateMultiplier),
            input.Method == FineTuningMethod.Dpo ? Hyper(input.Beta) : default);
        var suffix = string.IsNullOrWhiteSpace(input.Suffix) ? null : input.Suffix.Trim();
        var training = input.TrainingFile!.Trim();
        var validation = string.IsNullOrWhiteSpace(input.ValidationFile) ? null : input.ValidationFile.Trim();
        var request = new FineTuningJobRequest(baseModel.ProviderModel, training, validation, input.Method, hyper, input.Seed, suffix);

        FineTuningJob job;
        try
        {
            var target = await connections.TargetAsync(connection.Name, cancellationToken)
                ?? throw new InferenceException(new(InferenceErrorKind.NotFound, $"The connection '{connection.Name}' no longer exists."));
            job = await client.CreateJobAsync(target, request, cancellationToken);
        }
        catch (InferenceException ex)
        {
            var words = FineTuningText.Describe(ex.Error);
            await access.FailedAsync(PortalAction.FineTune, auditTarget, $"refused by the provider ({ex.Error.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ex.Error.Kind.ToString()})");
            return new(null, new Dictionary<string, string>(), words);
        }

        var kept = await store.ListFilesAsync(access.User.Id, cancellationToken);
        var trainingRow = kept.FirstOrDefault(f => f.ProviderFileId == training);
        var validationRow = validation is null ? null : kept.FirstOrDefault(f => f.ProviderFileId == validation);
        var now = time.GetUtcNow();
        var row = new FineTuningJobRow
        {
            Id = Guid.NewGuid(),
            OwnerId = access.User.Id,
            OwnerName = access.User.IsSignedIn ? access.User.Email ?? access.User.DisplayName : access.User.DisplayName,
            Connection = connection.Name,
            ProviderJobId = job.Id,
            CatalogModelId = baseModel.CatalogId,
            BaseModel = string.IsNullOrEmpty(job.Model) ? baseModel.ProviderModel : job.Model,
            Method = input.Method == FineTuningMethod.Dpo ? "dpo" : "supervised",
            HyperparametersJson = FineTuningRowJson.WriteHyperparameters(hyper),
            Seed = input.Seed ?? job.Seed,
            Suffix = suffix,
            TrainingFileId = training,
            TrainingFileName = trainingRow?.FileName,
            ValidationFileId = validation,
            ValidationFileName = validationRow?.FileName,
            TrainingExamples = trainingRow?.Examples,
            TrainingTokens = trainingRow?.EstimatedTokens,
            Status = job.Status,
            State = job.State.ToString(),
            CreatedUtc = job.CreatedAt ?? now,
            UpdatedUtc = now,
        };
        FineTuningFollower.Apply(row, job, [], [], now);
        cost.Price(row);
        try
        {
            await store.AddJobAsync(row, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The provider runs the job; say so, so that it can be imported or cancelled at the provider.
            await access.FailedAsync(PortalAction.FineTune, auditTarget, $"created {job.Id} but not stored");
            return new(null, new Dictionary<string, string>(), $"The provider created the job {job.Id}, but the portal could not store it ({ex.GetType().Name}); it runs at the provider. Try again later to import it, or cancel it there.");
        }

        await access.SucceededAsync(PortalAction.FineTune, $"fine-tuning:{row.Id}", $"created {job.Id} on {connection.Name} ({baseModel.ProviderModel})");
        changes.Raise(row.Id);
        return new(row.Id, new Dictionary<string, string>(), null);
    }

    private static void Validate(FineTuningJobInput input, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(input.TrainingFile))
        {
            errors[TrainingFileField] = "Choose or type the id of an uploaded training file (Training data uploads one).";
        }
        else if (input.TrainingFile.Trim().Any(char.IsWhiteSpace))
        {
            errors[TrainingFileField] = "A file id has no spaces (for example file-abc123).";
        }

        if (!string.IsNullOrWhiteSpace(input.ValidationFile) && input.ValidationFile.Trim().Any(char.IsWhiteSpace))
        {
            errors[ValidationFileField] = "A file id has no spaces (for example file-abc123).";
        }
        else if (!string.IsNullOrWhiteSpace(input.ValidationFile) && string.Equals(input.ValidationFile.Trim(), input.TrainingFile?.Trim(), StringComparison.Ordinal))
        {
            errors[ValidationFileField] = "Use a different file for validation: the same examples should not be in both.";
        }

        if (input.Epochs is { } epochs && epochs is < 1 or > 50)
        {
            errors[EpochsField] = $"Epochs must be 1–50 (it is {epochs}), or automatic.";
        }

        if (input.BatchSize is { } batch && batch is < 1 or > 256)
        {
            errors[BatchSizeField] = $"The batch size must be 1–256 (it is {batch}), or automatic.";
        }

        if (input.LearningRateMultiplier is { } lr && (lr <= 0 || lr > 10 || double.IsNaN(lr)))
        {
            errors[LearningRateField] = "The learning-rate multiplier must be more than 0 and at most 10, or automatic.";
        }

        if (input.Method == FineTuningMethod.Dpo && input.Beta is { } beta && (beta <= 0 || beta > 2 || double.IsNaN(beta)))
        {
            errors[BetaField] = "Beta must be more than 0 and at most 2, or automatic.";
        }

        if (input.Seed is < 0)
        {
            errors[SeedField] = "The seed must be 0 or more (or empty for a random one).";
        }

        if (!string.IsNullOrWhiteSpace(input.Suffix))
        {
            var suffix = input.Suffix.Trim();
            if (suffix.Length > MaxSuffixLength)
            {
                errors[SuffixField] = $"Use at most {MaxSuffixLength} characters for the suffix (it has {suffix.Length}).";
            }
            else if (!SuffixPattern().IsMatch(suffix))
            {
                errors[SuffixField] = "Use only lower-case letters, digits, '-' and '_' in the suffix.";
            }
        }
    }

    private static HyperValue Hyper(double? value) => value is { } v ? HyperValue.Of(v) : HyperValue.Automatic;

    private static string Cut(string text) => text.Length > 100 ? text[..100] : text;

    [GeneratedRegex("^[a-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SuffixPattern();

    /// <summary>Whether the current user may see the job: their own, or anyone's for a Contributor.</summary>
    private async Task<bool> MaySeeAsync(FineTuningJobRow row, CancellationToken cancellationToken) =>
        row.OwnerId == access.User.Id || await access.CanAsync(PortalAction.ManageOthersFineTuning, cancellationToken);

    /// <summary>The user's own jobs, newest first; a Contributor (or above) sees everyone's.</summary>
    public async Task<IReadOnlyList<FineTuningJobView>> ListAsync(CancellationToken cancellationToken)
    {
        var everyone = await access.CanAsync(PortalAction.ManageOthersFineTuning, cancellationToken);
        var rows = await store.ListJobsAsync(everyone ? null : access.User.Id, cancellationToken);
        return [.. rows.Select(FineTuningJobView.From)];
    }

    /// <summary>The job, or null when there is none or it is someone else's (and the user is not a Contributor).</summary>
    public async Task<FineTuningJobView?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await store.GetJobAsync(id, cancellationToken);
        return row is not null && await MaySeeAsync(row, cancellationToken) ? FineTuningJobView.From(row) : null;
    }

    /// <summary>Whether the current user may cancel the job (its owner with <see cref="PortalAction.FineTune"/>, or a Contributor).</summary>
    public async Task<bool> MayManageAsync(FineTuningJobView job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var role = await access.RoleAsync(cancellationToken);
        return role.Allows(PortalAction.FineTune) && (job.Row.OwnerId == access.User.Id || role.Allows(PortalAction.ManageOthersFineTuning));
    }

    /// <summary>Asks the provider to cancel the job and stores what it answered. Returns the problem in words, or null when it was done.</summary>
    public async Task<string?> CancelAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await store.GetJobAsync(id, cancellationToken);
        var target = $"fine-tuning:{id}";
        // One's own job needs FineTune; someone else's ManageOthersFineTuning (a higher role, which includes FineTune).
        await access.DemandAsync(row is not null && row.OwnerId != access.User.Id ? PortalAction.ManageOthersFineTuning : PortalAction.FineTune, target, cancellationToken);
        if (row is null)
        {
            return "This job is no longer in the portal.";
        }

        if (Enum.TryParse<FineTuningState>(row.State, out var state) && state.IsFinal())
        {
            return $"The job has already ended ({FineTuningStates.Label(state)}); there is nothing to cancel.";
        }

        var (provider, problem) = await ownerTargets.ResolveAsync(row, cancellationToken);
        if (provider is null)
        {
            await access.FailedAsync(PortalAction.FineTune, target, "connection unavailable");
            return problem;
        }

        try
        {
            var job = await client.CancelJobAsync(provider, row.ProviderJobId, cancellationToken);
            FineTuningFollower.Apply(row, job, [], [], time.GetUtcNow());
            row.UpdatedUtc = time.GetUtcNow();
            await store.UpdateJobAsync(row, cancellationToken);
        }
        catch (InferenceException ex)
        {
            await access.FailedAsync(PortalAction.FineTune, target, $"cancel refused ({ex.Error.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ex.Error.Kind.ToString()})");
            return "The provider did not cancel the job: " + FineTuningText.Describe(ex.Error);
        }

        await access.SucceededAsync(PortalAction.FineTune, target, $"cancelled {row.ProviderJobId}");
        // Read the final events at once (the cancellation event), then tell the pages.
        await follower.ReadNowAsync(id, cancellationToken);
        changes.Raise(id);
        return null;
    }

    /// <summary>Reads the job from its provider now (instead of at the next interval); null when it is not there or not the user's.</summary>
    public async Task<FineTuningJobView?> RefreshAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await store.GetJobAsync(id, cancellationToken);
        if (row is null || !await MaySeeAsync(row, cancellationToken))
        {
            return null;
        }

        var read = await follower.ReadNowAsync(id, cancellationToken);
        return read is null ? null : FineTuningJobView.From(read);
    }
}
