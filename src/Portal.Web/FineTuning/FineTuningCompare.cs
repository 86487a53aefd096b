using System.Globalization;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.Web.Access;

namespace Portal.Web.FineTuning;

/// <summary>A job id of a comparison that is not shown, and why (in words).</summary>
public sealed record MissingJob(string Id, string Reason);

/// <summary>
/// What <c>/fine-tuning/compare?jobs=…</c> shows: the jobs the user may see, in the order asked; the ids left out, each
/// with its reason; and what is wrong with the query itself (nothing is shown then).
/// </summary>
public sealed record FineTuningComparison(IReadOnlyList<FineTuningJobView> Jobs, IReadOnlyList<MissingJob> Missing, string? QueryProblem)
{
    /// <summary>The best finished job by its final loss: validation loss when any succeeded job has one, else training loss.</summary>
    public BestJob? Best => BestJob.Among(Jobs);
}

/// <summary>The succeeded job with the lowest final validation (or, when none has one, training) loss, and the others' values.</summary>
public sealed record BestJob(FineTuningJobView Job, bool ByValidation, double Loss, IReadOnlyList<(FineTuningJobView Job, double Loss)> Others)
{
    public string Metric => ByValidation ? "validation loss" : "training loss";

    public static BestJob? Among(IReadOnlyList<FineTuningJobView> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var finished = jobs.Where(j => j.State == FineTuningState.Succeeded).ToList();
        var byValidation = finished.Any(j => j.FinalValidLoss is not null);
        var scored = finished
            .Select(j => (Job: j, Loss: byValidation ? j.FinalValidLoss : j.FinalTrainLoss))
            .Where(s => s.Loss is not null)
            .Select(s => (s.Job, Loss: s.Loss!.Value))
            .OrderBy(s => s.Loss)
            .ToList();
        if (scored.Count == 0)
        {
            return null;
        }

        return new(scored[0].Job, byValidation, scored[0].Loss, scored.Skip(1).ToList());
    }

    /// <summary>"ft-b has the lowest final validation loss among the finished jobs: 0.4288, against ft-a 0.5012."</summary>
    public string Sentence(Func<FineTuningJobView, string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = $"{name(Job)} has the lowest final {Metric} among the finished jobs: {FineTuningCompareText.Loss(Loss)}";
        text += Others.Count == 0
            ? " (the only finished job that reports one)."
            : $", against {string.Join(", ", Others.Select(o => $"{name(o.Job)} {FineTuningCompareText.Loss(o.Loss)}"))}.";
        if (!ByValidation)
        {
            text += " No finished job reports a validation loss (none had a validation file), so training losses are compared.";
        }

        return text;
    }
}

/// <summary>
/// Reads the jobs of a comparison: each must exist and be the user's own, or the user may manage others' fine-tuning
/// (Contributor). Reading needs <see cref="PortalAction.FineTune"/>.
/// </summary>
public sealed class FineTuningCompareService(IFineTuningStore store, AccessControl access)
{
    public const int MinJobs = 2;
    public const int MaxJobs = 6;

    /// <summary>The ids of a <c>jobs</c> query (comma separated), or what is wrong with it.</summary>
    public static (IReadOnlyList<Guid> Ids, string? Problem) Parse(string? query)
    {
        var parts = (query ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            return ([], $"Choose {MinJobs} to {MaxJobs} jobs to compare: tick them in the list of jobs, or give their ids as ?jobs=<id>,<id>.");
        }

        var bad = parts.Where(p => !Guid.TryParse(p, out _)).ToList();
        if (bad.Count > 0)
        {
            return ([], $"{string.Join(", ", bad.Select(b => $"'{b}'"))} {(bad.Count == 1 ? "is not a job id" : "are not job ids")}: the address takes the portal's job ids (as in /fine-tuning/jobs/<id>), separated by commas.");
        }

        var ids = parts.Select(Guid.Parse).Distinct().ToList();
        if (ids.Count < MinJobs || ids.Count > MaxJobs)
        {
            return ([], string.Create(CultureInfo.InvariantCulture, $"A comparison takes {MinJobs} to {MaxJobs} different jobs; the address names {ids.Count}."));
        }

        return (ids, null);
    }

    public async Task<FineTuningComparison> CompareAsync(string? query, CancellationToken cancellationToken)
    {
        var (ids, problem) = Parse(query);
        await access.DemandAsync(PortalAction.FineTune, "fine-tuning/compare", cancellationToken);
        if (problem is not null)
        {
            return new([], [], problem);
        }

        var others = await access.CanAsync(PortalAction.ManageOthersFineTuning, cancellationToken);
        var jobs = new List<FineTuningJobView>();
        var missing = new List<MissingJob>();
        foreach (var id in ids)
        {
            var row = await store.GetJobAsync(id, cancellationToken);
            if (row is null)
            {
                missing.Add(new(id.ToString(), "no such job: it was removed, or the id is wrong"));
            }
            else if (!Visible(row, others))
            {
                missing.Add(new(id.ToString(), "another person's job: comparing other people's jobs needs the Contributor role"));
            }
            else
            {
                jobs.Add(FineTuningJobView.From(row));
            }
        }

        return new(jobs, missing, null);
    }

    /// <summary>One job the user may see, or null (unknown, or someone else's for a role that may not see it).</summary>
    public async Task<FineTuningJobView?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await access.DemandAsync(PortalAction.FineTune, $"fine-tuning/jobs/{id}", cancellationToken);
        var row = await store.GetJobAsync(id, cancellationToken);
        return row is not null && Visible(row, await access.CanAsync(PortalAction.ManageOthersFineTuning, cancellationToken)) ? FineTuningJobView.From(row) : null;
    }

    private bool Visible(FineTuningJobRow row, bool others) => others || string.Equals(row.OwnerId, access.User.Id, StringComparison.Ordinal);
}

/// <summary>How the comparison words its values.</summary>
public static class FineTuningCompareText
{
    public static string Loss(double value) => LossChartLayout.Loss(value);

    /// <summary>A job's short name: its suffix, else the provider's job id.</summary>
    public static string Name(FineTuningJobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return string.IsNullOrWhiteSpace(job.Row.Suffix) ? job.Row.ProviderJobId : $"{job.Row.Suffix} ({job.Row.ProviderJobId})";
    }

    /// <summary>"automatic", or the number.</summary>
    public static string Hyper(HyperValue value) => value.Auto ? "automatic" : value.Value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "—";

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min")
            : span.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s")
                : string.Create(CultureInfo.InvariantCulture, $"{span.Seconds} s");
    }

    public static string Cost(FineTuningJobRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.EstimatedCostUsd is { } usd
            ? string.Create(CultureInfo.InvariantCulture, $"${usd:0.00}{(string.IsNullOrWhiteSpace(row.CostNote) ? "" : $" ({row.CostNote})")}")
            : "no training price in the catalog";
    }

    public static string Tokens(long? tokens) => tokens is { } t ? t.ToString("N0", CultureInfo.InvariantCulture) : "—";
}
