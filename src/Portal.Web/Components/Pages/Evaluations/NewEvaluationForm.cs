using Portal.Web.Evaluations;
using Portal.Web.Playground;

namespace Portal.Web.Components.Pages.Evaluations;

/// <summary>What the New evaluation page edits, and the <see cref="EvaluationSpec"/> it becomes.</summary>
public sealed class NewEvaluationForm
{
    public const int MaxTargets = 4;

    public string Name { get; set; } = "";

    public Guid? DatasetId { get; set; }

    /// <summary>Null: the latest version when the run starts.</summary>
    public int? DatasetVersion { get; set; }

    public List<TargetForm> Targets { get; } = [new()];

    /// <summary>Chosen scorer ids (without their argument), and the argument typed for those that take one.</summary>
    public HashSet<string> Scorers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Arguments { get; } = new(StringComparer.Ordinal);

    public string? JudgeConnection { get; set; }

    public string? JudgeModel { get; set; }

    /// <summary>Judge prompts by scorer id, as edited (prefilled from the scorer's default).</summary>
    public Dictionary<string, string> JudgePrompts { get; } = new(StringComparer.Ordinal);

    public int Concurrency { get; set; } = 4;

    public sealed class TargetForm
    {
        public string? Connection { get; set; }

        public string? Model { get; set; }

        public string SystemPrompt { get; set; } = "";

        public ParameterState Parameters { get; } = new();
    }

    /// <summary>The part of a scorer id before its argument (<c>regex:&lt;pattern&gt;</c> → <c>regex</c>).</summary>
    public static string BaseId(ScorerInfo scorer)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        return scorer.Argument is null ? scorer.Id : scorer.Id.Split(':', 2)[0];
    }

    public bool HasJudge(IEnumerable<ScorerInfo> scorers) => scorers.Any(s => s.Kind == ScorerKind.Judge && Scorers.Contains(s.Id));

    public EvaluationSpec ToSpec(IReadOnlyList<ScorerInfo> scorers)
    {
        var ids = new List<string>();
        foreach (var scorer in scorers.Where(s => Scorers.Contains(BaseId(s))))
        {
            ids.Add(scorer.Argument is null ? scorer.Id : $"{BaseId(scorer)}:{Arguments.GetValueOrDefault(BaseId(scorer), "").Trim()}");
        }

        var judging = HasJudge(scorers);
        var prompts = scorers
            .Where(s => s.Kind == ScorerKind.Judge && Scorers.Contains(s.Id) && JudgePrompts.TryGetValue(s.Id, out var p) && p != s.DefaultJudgePrompt)
            .ToDictionary(s => s.Id, s => JudgePrompts[s.Id], StringComparer.Ordinal);
        return new EvaluationSpec(
            Name.Trim(),
            DatasetId,
            DatasetVersion,
            null,
            [.. Targets.Select(t => new EvaluationTargetSpec(t.Connection ?? "", t.Model ?? "", string.IsNullOrWhiteSpace(t.SystemPrompt) ? null : t.SystemPrompt.Trim(), t.Parameters.ToParameters()))],
            ids,
            judging ? new JudgeSpec(JudgeConnection ?? "", JudgeModel ?? "") : null,
            prompts.Count > 0 ? prompts : null,
            Concurrency);
    }
}
