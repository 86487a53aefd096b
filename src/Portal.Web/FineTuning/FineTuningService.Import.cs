using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;
using Portal.Web.Access;

namespace Portal.Web.FineTuning;

/// <summary>Importing the jobs a connection ran that the portal does not follow yet.</summary>
public sealed partial class FineTuningService
{
    /// <summary>The most jobs one import reads from a connection (newest first).</summary>
    public const int MaxImported = 200;

    /// <summary>
    /// Adds the connection's jobs the portal does not follow yet (started elsewhere, or before the portal knew them) as
    /// the current user's, each read once now (events, metrics, checkpoints); unfinished ones are then followed.
    /// Returns how many were added, or the problem in words.
    /// </summary>
    public async Task<(int Added, string? Problem)> ImportAsync(string connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var auditTarget = $"fine-tuning:{Cut(connection.Trim())}";
        await access.DemandAsync(PortalAction.FineTune, auditTarget, cancellationToken);
        var found = (await ListConnectionsAsync(cancellationToken)).FirstOrDefault(c => string.Equals(c.Name, connection.Trim(), StringComparison.OrdinalIgnoreCase));
        if (found is null)
        {
            return (0, $"There is no fine-tuning connection named '{connection}' (OpenAI or Azure OpenAI, in Settings → Connections).");
        }

        var jobs = new List<FineTuningJob>();
        try
        {
            var target = await connections.TargetAsync(found.Name, cancellationToken)
                ?? throw new InferenceException(new(InferenceErrorKind.NotFound, $"The connection '{found.Name}' no longer exists."));
            string? after = null;
            while (jobs.Count < MaxImported)
            {
                var page = await client.ListJobsAsync(target, after, 100, cancellationToken);
                jobs.AddRange(page.Data);
                if (!page.HasMore || page.Data.Count == 0)
                {
                    break;
                }

                after = page.Data[^1].Id;
            }
        }
        catch (InferenceException ex)
        {
            await access.FailedAsync(PortalAction.FineTune, auditTarget, "import: jobs not listed");
            return (0, "The connection's jobs could not be listed: " + FineTuningText.Describe(ex.Error));
        }

        var followed = (await store.ListJobsAsync(null, cancellationToken)).Select(j => j.ProviderJobId).ToHashSet(StringComparer.Ordinal);
        var tunable = catalog.Current.Models.Where(m => m.FineTuningTasks.Count > 0).ToList();
        var now = time.GetUtcNow();
        var added = new List<Guid>();
        foreach (var job in jobs.Where(j => !followed.Contains(j.Id)).Take(MaxImported))
        {
            var row = new FineTuningJobRow
            {
                Id = Guid.NewGuid(),
                OwnerId = access.User.Id,
                OwnerName = access.User.IsSignedIn ? access.User.Email ?? access.User.DisplayName : access.User.DisplayName,
                Connection = found.Name,
                ProviderJobId = job.Id,
                CatalogModelId = FineTuningBaseModels.Match(job.Model, tunable)?.Id,
                BaseModel = job.Model,
                Method = job.Method == FineTuningMethod.Dpo ? "dpo" : "supervised",
                HyperparametersJson = FineTuningRowJson.WriteHyperparameters(job.Hyperparameters),
                Seed = job.Seed,
                Suffix = job.Suffix,
                TrainingFileId = job.TrainingFile,
                ValidationFileId = job.ValidationFile,
                CreatedUtc = job.CreatedAt ?? now,
                UpdatedUtc = now,
            };
            FineTuningFollower.Apply(row, job, [], [], now);
            await store.AddJobAsync(row, cancellationToken);
            added.Add(row.Id);
        }

        foreach (var id in added)
        {
            await follower.ReadNowAsync(id, cancellationToken); // events, metrics and checkpoints, finished jobs included
            changes.Raise(id);
        }

        await access.SucceededAsync(PortalAction.FineTune, auditTarget, $"imported {added.Count} of {jobs.Count} jobs");
        return (added.Count, null);
    }
}
