using Microsoft.AspNetCore.Components;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Connections;
using Portal.Web.Evaluations;
using Portal.Web.FineTuning;

namespace Portal.Web.Components.Pages.FineTuning;

/// <summary>
/// <c>/fine-tuning/compare?jobs=&lt;id&gt;,&lt;id&gt;…</c>: 2–6 jobs side by side (hyperparameters, files, tokens, duration,
/// final losses with the lowest marked, checkpoints, cost), their loss curves overlaid, the best finished job named with
/// its numbers, and for each succeeded job what can be done with its model. The address is the whole state.
/// </summary>
public sealed partial class CompareJobs : PortalComponentBase
{
    private FineTuningComparison? _comparison;
    private IReadOnlyList<ConnectionView> _connections = [];
    private IReadOnlyList<LossSeries> _series = [];
    private bool _hasFineTuningConnection = true;
    private string? _denied;
    private string? _loadError;

    [SupplyParameterFromQuery(Name = "jobs")]
    public string? JobsParameter { get; set; }

    [Inject]
    public required FineTuningCompareService Compare { get; init; }

    [Inject]
    public required ConnectionService ConnectionService { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required ILogger<CompareJobs> Logger { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        _denied = null;
        _loadError = null;
        try
        {
            _comparison = await Compare.CompareAsync(JobsParameter, ComponentToken);
            _connections = await ConnectionService.ListAsync(ComponentToken);
        }
        catch (PortalAccessDeniedException ex)
        {
            _denied = $"{ex.Message} Comparing fine-tuning jobs needs the {PortalRole.AzureAIDeveloper.Label()} role.";
            return;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read the jobs to compare");
            _loadError = "The jobs could not be read from the store just now. Reload the page in a moment; the address keeps your choice.";
            return;
        }

        _hasFineTuningConnection = _connections.Any(c => c.Kind is ConnectionKind.OpenAI or ConnectionKind.AzureOpenAI);
        _series = [.. _comparison.Jobs.SelectMany((job, index) => LossSeries.Of(FineTuningCompareText.Name(job), job.Metrics, index))];
    }

    private ConnectionView? ConnectionOf(FineTuningJobView job) =>
        _connections.FirstOrDefault(c => string.Equals(c.Name, job.Connection, StringComparison.OrdinalIgnoreCase));

    /// <summary>The job with the lowest value among the succeeded ones that report it (null when none does).</summary>
    private static Guid? Lowest(IReadOnlyList<FineTuningJobView> jobs, Func<FineTuningJobView, double?> value) =>
        jobs.Where(j => j.State == FineTuningState.Succeeded && value(j) is not null).OrderBy(j => value(j)).Select(j => (Guid?)j.Id).FirstOrDefault();

    /// <summary>
    /// One "evaluate against the base model" per connection and base model with two or more succeeded jobs whose models
    /// can be called as they are (OpenAI connections): their fine-tuned models (best first, as many as the evaluation takes
    /// beside the base model) and the base model.
    /// </summary>
    private IEnumerable<(string Url, string Note)> EvaluationGroups()
    {
        if (_comparison is null)
        {
            yield break;
        }

        var groups = _comparison.Jobs
            .Where(j => j.State == FineTuningState.Succeeded && j.Row.FineTunedModel is not null && ConnectionOf(j)?.Kind == ConnectionKind.OpenAI)
            .GroupBy(j => (j.Connection, j.Row.BaseModel));
        foreach (var group in groups)
        {
            var ordered = group.OrderBy(j => j.FinalValidLoss ?? j.FinalTrainLoss ?? double.MaxValue).ToList();
            if (ordered.Count < 2)
            {
                continue;
            }

            var taken = ordered.Take(FineTunedModelActions.MaxFineTunedTargets).ToList();
            var targets = taken.Select(j => (group.Key.Connection, j.Row.FineTunedModel!)).Append((group.Key.Connection, group.Key.BaseModel));
            var left = ordered.Count - taken.Count;
            var note = $"{taken.Count} fine-tuned models of {group.Key.BaseModel} on {group.Key.Connection}, and {group.Key.BaseModel} itself, as the targets of a new evaluation";
            note += left > 0 ? $" (an evaluation takes {Components.Pages.Evaluations.NewEvaluationForm.MaxTargets} targets: the {left} with the highest loss are left out)." : ".";
            yield return (EvaluationUrls.NewRunWithTargets(targets), note);
        }
    }
}
