using Microsoft.AspNetCore.Components;
using Portal.Web.Access;
using Portal.Web.Connections;
using Portal.Web.Evaluations;

namespace Portal.Web.Components.Pages.Evaluations;

/// <summary>
/// New evaluation: a dataset (and version), 1–4 targets, scorers (with their arguments, and a judge with editable
/// prompts for judged ones) and the concurrency. The evaluation service checks everything; its problems are shown next
/// to their fields, by the same keys as the HTTP API (<c>targets[1].model</c>).
/// </summary>
public sealed partial class NewEvaluation : PortalComponentBase
{
    private readonly NewEvaluationForm _form = new();
    private IReadOnlyList<DatasetSummary>? _datasets;
    private IReadOnlyList<DatasetVersionInfo> _versions = [];
    private IReadOnlyList<ConnectionView> _connections = [];
    private IReadOnlyDictionary<string, string[]> _problems = new Dictionary<string, string[]>();
    private string? _loadError;
    private string? _prefillNote;
    private bool _mayRun = true;
    private bool _starting;

    [SupplyParameterFromQuery(Name = "dataset")]
    public Guid? QueryDataset { get; set; }

    /// <summary>Targets chosen by the address (<c>target=&lt;connection&gt;|&lt;model&gt;</c>, repeated), e.g. from a fine-tuning comparison.</summary>
    [SupplyParameterFromQuery(Name = EvaluationUrls.TargetParameter)]
    public string[]? QueryTargets { get; set; }

    [Inject]
    public required IEvaluationService Evaluations { get; init; }

    [Inject]
    public required IDatasetService Datasets { get; init; }

    [Inject]
    public required ConnectionService ConnectionService { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required ILogger<NewEvaluation> Logger { get; init; }

    private IReadOnlyList<ScorerInfo> Scorers => Evaluations.Scorers;

    protected override async Task OnInitializedAsync()
    {
        await OnAccessChangedAsync();
        if (!_mayRun)
        {
            return;
        }

        try
        {
            _connections = await ConnectionService.ListAsync(ComponentToken);
            _datasets = await Datasets.ListAsync(ComponentToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "New evaluation could not read datasets or connections");
            _loadError = "The datasets or your connections could not be read from the store just now. Try again in a moment.";
            return;
        }

        if (_connections.Count == 1)
        {
            _form.Targets[0].Connection = _connections[0].Name;
            _form.Targets[0].Model = _connections[0].Models.Count > 0 ? _connections[0].Models[0] : null;
        }

        PrefillTargets();
        if (QueryDataset is { } id && _datasets.Any(d => d.Id == id))
        {
            await OnDatasetChangedAsync(id);
        }
    }

    /// <summary>
    /// Takes the address's targets (up to <see cref="NewEvaluationForm.MaxTargets"/>), each with the model as given (a
    /// fine-tuned model need not be in the connection's list); says what it could not take.
    /// </summary>
    private void PrefillTargets()
    {
        if (QueryTargets is not { Length: > 0 } asked)
        {
            return;
        }

        var notes = new List<string>();
        var parsed = asked.Select(EvaluationUrls.ParseTarget).ToList();
        var good = parsed.Where(p => p is not null).Select(p => p!.Value).ToList();
        if (good.Count < parsed.Count)
        {
            var bad = asked.Where(a => EvaluationUrls.ParseTarget(a) is null).Select(a => $"'{a}'");
            notes.Add($"Not taken from the address: {string.Join(", ", bad)} (each target is written target=<connection>|<model>).");
        }

        if (good.Count > NewEvaluationForm.MaxTargets)
        {
            notes.Add($"An evaluation takes at most {NewEvaluationForm.MaxTargets} targets: the first {NewEvaluationForm.MaxTargets} of the {good.Count} in the address were taken.");
        }

        if (good.Count > 0)
        {
            _form.Targets.Clear();
            foreach (var (connection, model) in good.Take(NewEvaluationForm.MaxTargets))
            {
                var known = _connections.FirstOrDefault(c => string.Equals(c.Name, connection, StringComparison.OrdinalIgnoreCase));
                if (known is null)
                {
                    notes.Add($"The connection '{connection}' in the address is not one you can use: choose another for target {_form.Targets.Count + 1}, or add it in Settings → Connections.");
                }

                _form.Targets.Add(new NewEvaluationForm.TargetForm { Connection = known?.Name ?? connection, Model = model });
            }
        }

        _prefillNote = notes.Count > 0 ? string.Join(" ", notes) : null;
    }

    protected override async Task OnAccessChangedAsync() =>
        _mayRun = await Access.CanAsync(PortalAction.RunEvaluation, ComponentToken);

    private async Task OnDatasetChangedAsync(Guid? id)
    {
        _form.DatasetId = id;
        _form.DatasetVersion = null;
        _versions = [];
        if (id is not { } dataset)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(_form.Name) && _datasets?.FirstOrDefault(d => d.Id == dataset) is { } d)
        {
            _form.Name = $"{d.Name} {EvaluationText.Date(Time.GetUtcNow())}";
        }

        try
        {
            _versions = [.. (await Datasets.VersionsAsync(dataset, ComponentToken)).OrderByDescending(v => v.Version)];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The latest version is still offered; the service checks the choice.
            Logger.LogWarning(ex, "Could not read versions of dataset {Dataset}", dataset);
        }
    }

    private void AddTarget()
    {
        var last = _form.Targets[^1];
        _form.Targets.Add(new NewEvaluationForm.TargetForm { Connection = last.Connection });
    }

    private void Toggle(ScorerInfo scorer, bool chosen)
    {
        var id = NewEvaluationForm.BaseId(scorer);
        if (!chosen)
        {
            _form.Scorers.Remove(id);
            return;
        }

        _form.Scorers.Add(id);
        if (scorer.Kind == ScorerKind.Judge && !_form.JudgePrompts.ContainsKey(scorer.Id))
        {
            _form.JudgePrompts[scorer.Id] = scorer.DefaultJudgePrompt ?? "";
        }
    }

    private async Task StartAsync()
    {
        _problems = Local();
        if (_problems.Count > 0)
        {
            return;
        }

        _starting = true;
        try
        {
            var result = await Evaluations.StartAsync(_form.ToSpec(Scorers), ComponentToken);
            if (result.Id is { } id)
            {
                Navigation.NavigateTo(EvaluationUrls.Run(id));
                return;
            }

            _problems = result.Problems.Count > 0 ? result.Problems : new Dictionary<string, string[]> { [""] = ["The evaluation was not started."] };
        }
        catch (PortalAccessDeniedException ex)
        {
            _problems = new Dictionary<string, string[]> { [""] = [ex.Message] };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not start an evaluation");
            _problems = new Dictionary<string, string[]> { [""] = ["The evaluation could not be started just now (the store did not answer). Your choices are kept: try again."] };
        }
        finally
        {
            _starting = false;
        }
    }

    /// <summary>What the page can tell before asking the service: a scorer argument left empty (the service checks the rest).</summary>
    private Dictionary<string, string[]> Local()
    {
        var problems = new Dictionary<string, string[]>();
        foreach (var scorer in Scorers.Where(s => s.Argument is not null && _form.Scorers.Contains(NewEvaluationForm.BaseId(s))))
        {
            var id = NewEvaluationForm.BaseId(scorer);
            if (string.IsNullOrWhiteSpace(_form.Arguments.GetValueOrDefault(id)))
            {
                problems[$"scorers.{id}"] = [$"Give the {scorer.Argument} for {scorer.Label}."];
            }
        }

        return problems;
    }

    /// <summary>The problems for a field (keys compared without case: <c>targets[0].model</c>).</summary>
    private string? Problem(string key)
    {
        var messages = _problems.Where(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).SelectMany(p => p.Value).ToList();
        if (messages.Count == 0)
        {
            return null;
        }

        return string.Join(" ", messages);
    }

    /// <summary>A scorer's own problem: by its id with its argument (<c>scorers[2]</c> is matched by position among the chosen).</summary>
    private string? ScorerProblem(ScorerInfo scorer)
    {
        var id = NewEvaluationForm.BaseId(scorer);
        var chosen = Scorers.Where(s => _form.Scorers.Contains(NewEvaluationForm.BaseId(s))).ToList();
        var position = chosen.FindIndex(s => NewEvaluationForm.BaseId(s) == id);
        var messages = new[] { Problem($"scorers.{id}"), position >= 0 ? Problem($"scorers[{position}]") : null }.Where(m => m is not null).ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    /// <summary>Problems no field shows (a key the page does not know, or none): listed in the alert at the top.</summary>
    private IEnumerable<(string Key, string[] Messages)> OtherProblems()
    {
        foreach (var (key, messages) in _problems)
        {
            if (!IsFieldKey(key))
            {
                yield return (key, messages);
            }
        }
    }

    private bool IsFieldKey(string key)
    {
        var known = new List<string> { "name", "datasetId", "datasetVersion", "targets", "scorers", "concurrency" };
        for (var i = 0; i < _form.Targets.Count; i++)
        {
            known.AddRange([$"targets[{i}].connection", $"targets[{i}].model", $"targets[{i}].systemPrompt", $"targets[{i}].parameters"]);
        }

        var chosen = Scorers.Where(s => _form.Scorers.Contains(NewEvaluationForm.BaseId(s))).ToList();
        for (var i = 0; i < chosen.Count; i++)
        {
            known.AddRange([$"scorers[{i}]", $"scorers.{NewEvaluationForm.BaseId(chosen[i])}"]);
        }

        if (_form.HasJudge(Scorers))
        {
            known.AddRange(["judge", "judge.connection", "judge.model"]);
            known.AddRange(chosen.Where(s => s.Kind == ScorerKind.Judge).Select(s => $"judgePrompts.{s.Id}"));
        }

        return known.Contains(key, StringComparer.OrdinalIgnoreCase);
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
