using Portal.Web.Evaluations;

namespace Portal.Tests.Evaluations;

public sealed class ScorerTests
{
    private static DatasetRow Row(string? expected, Dictionary<string, string>? metadata = null) =>
        new(1, new DatasetInput("question?", null), expected, metadata ?? []);

    private static double? Score(string id, string answer, string? expected) =>
        Scorers.Resolve(id).Scorer!.Score!(answer, Row(expected)).Value;

    [Theory]
    [InlineData("exact-match", "  Paris ", "Paris", 1.0)]
    [InlineData("exact-match", "paris", "Paris", 0.0)]
    [InlineData("exact-match", "It is Paris.", "Paris", 0.0)]
    [InlineData("substring-match", "It is Paris.", " Paris ", 1.0)]
    [InlineData("substring-match", "It is paris.", "Paris", 0.0)]
    [InlineData("substring-match-ci", "It is PARIS.", "paris", 1.0)]
    [InlineData("substring-match-ci", "It is Rome.", "paris", 0.0)]
    [InlineData("regex:^The answer is \\d+\\.$", "The answer is 42.", null, 1.0)]
    [InlineData("regex:^The answer is \\d+\\.$", "I do not know.", null, 0.0)]
    [InlineData("json-valid", "{\"a\": 1}", null, 1.0)]
    [InlineData("json-valid", "```json\n[1, 2]\n```", null, 1.0)]
    [InlineData("json-valid", "{a: 1}", null, 0.0)]
    [InlineData("json-field:user.name", "{\"user\": {\"name\": \"Ada\"}}", "Ada", 1.0)]
    [InlineData("json-field:$.items[1].id", "{\"items\": [{\"id\": 1}, {\"id\": 2}]}", "2", 1.0)]
    [InlineData("json-field:items[1].id", "{\"items\": [{\"id\": 1}]}", "2", 0.0)]
    [InlineData("json-field:user.name", "not json", "Ada", 0.0)]
    [InlineData("numeric:0", "The answer is 42.", "42", 1.0)]
    [InlineData("numeric:0.5", "about 3.4 km", "3", 1.0)]
    [InlineData("numeric:0.01", "It is 1,234.5 units", "1234.5", 1.0)]
    [InlineData("numeric:0", "The answer is 41.", "42", 0.0)]
    [InlineData("numeric:1", "I do not know.", "42", 0.0)]
    public void DeterministicScorers_ScoreAsDocumented(string id, string answer, string? expected, double score) =>
        Assert.Equal(score, Score(id, answer, expected));

    [Fact]
    public void WithoutAnExpectedAnswer_TheScoreIsMissing_WithTheReason()
    {
        var value = Scorers.Resolve("substring-match").Scorer!.Score!("anything", Row(null));

        Assert.Null(value.Value);
        Assert.Contains("no expected answer", value.Reasoning, StringComparison.Ordinal);
        Assert.Null(Score("numeric:0", "42", "no number here"));
    }

    [Theory]
    [InlineData("regex:(unclosed", "not a valid regular expression")]
    [InlineData("regex:", "Give the regex a pattern")]
    [InlineData("numeric:abc", "is not a tolerance")]
    [InlineData("numeric:-1", "is not a tolerance")]
    [InlineData("json-field:a..b", "is not a field path")]
    [InlineData("judge:wit", "Unknown scorer")]
    [InlineData("bleu", "Unknown scorer 'bleu'")]
    public void BadScorerIds_AreClearProblems(string id, string problem)
    {
        var (scorer, message) = Scorers.Resolve(id);

        Assert.Null(scorer);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARegexThatRunsTooLong_IsMissing_NotAHang()
    {
        var scorer = Scorers.Resolve("regex:^(a+)+$").Scorer!;

        var value = scorer.Score!(new string('a', 40) + "!", Row(null));

        Assert.Null(value.Value);
        Assert.Contains("longer than", value.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryJudgeScorer_HasADefaultPrompt_AskingForScoreAndReasoning()
    {
        var judges = Scorers.Catalog.Where(s => s.Kind == ScorerKind.Judge).ToList();

        Assert.Equal(["judge:coherence", "judge:fluency", "judge:groundedness", "judge:relevance", "judge:similarity"], judges.Select(j => j.Id));
        Assert.All(judges, j => Assert.Contains("Score: <a whole number from 1 to 5>", j.DefaultJudgePrompt, StringComparison.Ordinal));
        Assert.All(judges, j => Assert.Contains("{answer}", j.DefaultJudgePrompt, StringComparison.Ordinal));
        Assert.Contains("context", judges.Single(j => j.Id == "judge:groundedness").Description, StringComparison.Ordinal);
        Assert.Contains("{expected}", judges.Single(j => j.Id == "judge:similarity").DefaultJudgePrompt, StringComparison.Ordinal);
    }

    [Fact]
    public void JudgeMessage_FillsTheRow_AndGroundednessUsesTheContext()
    {
        var row = Row("blue", new Dictionary<string, string> { ["context"] = "The logo is blue." });

        var message = Scorers.JudgeMessage(Scorers.DefaultJudgePrompts["judge:groundedness"], row, "It is blue.");

        Assert.Contains("Context: The logo is blue.", message, StringComparison.Ordinal);
        Assert.Contains("Question: question?", message, StringComparison.Ordinal);
        Assert.Contains("Answer: It is blue.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Score: 4\nReasoning: Good.", 4.0, "Good.")]
    [InlineData("**Score:** 2/5\nReasoning: Off topic.", 2.0, "Off topic.")]
    [InlineData("score = 5", 5.0, null)]
    public void JudgeAnswers_AreRead(string raw, double score, string? reasoning)
    {
        var value = Scorers.ParseJudge("judge:relevance", raw);

        Assert.Equal(score, value.Value);
        Assert.Equal(reasoning, value.Reasoning);
        Assert.Equal(raw, value.Raw);
    }

    [Theory]
    [InlineData("What a lovely answer.")]
    [InlineData("Score: 9\nReasoning: too high")]
    public void AnUnreadableJudgeAnswer_IsMissing_WithTheRawAnswerKept(string raw)
    {
        var value = Scorers.ParseJudge("judge:relevance", raw);

        Assert.Null(value.Value);
        Assert.Equal(raw, value.Raw);
    }

    [Fact]
    public void Summaries_UseWilsonFor01_AndTFor1To5()
    {
        var proportion = EvaluationStatistics.Summarise("substring-match", ScorerKind.Deterministic, [1, 1, 1, 0, 0, 0, null]);
        Assert.Equal(0.5, proportion.Mean);
        Assert.Equal(0.1876, proportion.Low!.Value, 3);
        Assert.Equal(0.8124, proportion.High!.Value, 3);
        Assert.Equal(6, proportion.Scored);
        Assert.Equal(1, proportion.Missing);

        var judge = EvaluationStatistics.Summarise("judge:relevance", ScorerKind.Judge, [3, 4, 5]);
        Assert.Equal(4, judge.Mean);
        Assert.Equal(0.75, judge.Normalised);
        Assert.Equal(4 - (4.303 * 1 / Math.Sqrt(3)), judge.Low!.Value, 3);
        Assert.Equal(4 + (4.303 * 1 / Math.Sqrt(3)), judge.High!.Value, 3);

        var none = EvaluationStatistics.Summarise("judge:relevance", ScorerKind.Judge, [null, null]);
        Assert.Null(none.Mean);
        Assert.Equal(2, none.Missing);
    }

    [Fact]
    public void Percentiles_AreNearestRank()
    {
        double[] values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

        Assert.Equal(50, EvaluationStatistics.Percentile(values, 50));
        Assert.Equal(100, EvaluationStatistics.Percentile(values, 95));
        Assert.Null(EvaluationStatistics.Percentile([], 50));
    }
}
