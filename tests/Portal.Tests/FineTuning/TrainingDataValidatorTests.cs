using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using Portal.Playground.FineTuning;
using Portal.Web.FineTuning;

namespace Portal.Tests.FineTuning;

/// <summary>Every rule of the training data validator, each with a failing example, and good files for both methods.</summary>
public sealed class TrainingDataValidatorTests
{
    private const string Chat = """{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4."}]}""";
    private const string Preference = """{"input": {"messages": [{"role": "user", "content": "What is 2 + 2?"}]}, "preferred_output": [{"role": "assistant", "content": "4."}], "non_preferred_output": [{"role": "assistant", "content": "Five."}]}""";

    /// <summary>Nine good lines of the method and <paramref name="line"/> as line 10.</summary>
    private static string FileWith(string line, FineTuningMethod method = FineTuningMethod.Supervised) =>
        string.Join("\n", Enumerable.Repeat(method == FineTuningMethod.Supervised ? Chat : Preference, 9).Append(line)) + "\n";

    private static TrainingDataReport Check(string content, FineTuningMethod method = FineTuningMethod.Supervised, int? window = null) =>
        TrainingDataValidator.Validate(content, method, window);

    /// <summary>The one error of a file whose line 10 is bad.</summary>
    private static TrainingDataProblem OnlyError(string line, FineTuningMethod method = FineTuningMethod.Supervised)
    {
        var report = Check(FileWith(line, method), method);
        Assert.False(report.IsValid);
        var error = Assert.Single(report.Errors);
        Assert.Equal(10, error.Line);
        return error;
    }

    [Fact]
    public void GoodSupervisedFile_IsValid_WithStatistics()
    {
        var content = string.Join("\n", Enumerable.Repeat(Chat, 12)) + "\n\n";

        var report = Check(content);

        Assert.True(report.IsValid, string.Join("; ", report.Errors));
        Assert.Equal(12, report.Examples);
        Assert.Equal((3, 3.0, 3), (report.MinTurns, report.MeanTurns, report.MaxTurns));
        Assert.Equal(12 * report.Counted[0].Tokens, report.TotalTokens);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void GoodSupervisedFile_WithToolsWeightsAndToolCalls_IsValid()
    {
        const string withTools = """{"messages": [{"role": "user", "content": "Weather in Paris?"}, {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "weather", "arguments": "{\"city\": \"Paris\"}"}}], "weight": 0}, {"role": "tool", "tool_call_id": "c1", "content": "18 C"}, {"role": "assistant", "content": "18 °C.", "weight": 1}], "tools": [{"type": "function", "function": {"name": "weather", "parameters": {"type": "object"}}}], "parallel_tool_calls": false}""";

        var report = Check(FileWith(withTools));

        Assert.True(report.IsValid, string.Join("; ", report.Errors));
        Assert.Equal(4, report.MaxTurns);
    }

    [Fact]
    public void GoodPreferenceFile_IsValid_ThePairCountsAsOneTurn()
    {
        var report = Check(string.Join("\r\n", Enumerable.Repeat(Preference, 10)), FineTuningMethod.Dpo);

        Assert.True(report.IsValid, string.Join("; ", report.Errors));
        Assert.Equal(10, report.Examples);
        Assert.Equal(2, report.MaxTurns);
    }

    [Theory]
    [InlineData("fine-tuning-supervised-example.jsonl", FineTuningMethod.Supervised)]
    [InlineData("fine-tuning-preference-example.jsonl", FineTuningMethod.Dpo)]
    public void TheExampleFilesOfferedForDownload_AreValid(string name, FineTuningMethod method)
    {
        var path = Path.Combine(RepositoryRoot(), "wwwroot-assets", "samples", name);

        var report = TrainingDataValidator.Validate(File.ReadAllBytes(path), method, 128_000);

        Assert.True(report.IsValid, string.Join("; ", report.Errors));
    }

    [Fact]
    public void BadJson_IsReportedWithItsLine()
    {
        var error = OnlyError("""{"messages": [{"role": "user", "content": "Hi"}""");
        Assert.Contains("Not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotAnObject_IsReported()
    {
        var error = OnlyError("""[{"role": "user", "content": "Hi"}]""");
        Assert.Contains("JSON array, not an object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingMessages_IsReported_WithTheWrongKeys()
    {
        var report = Check(FileWith("""{"prompt": "Hi", "completion": "Hello"}"""));
        Assert.Equal(2, report.TotalErrors);
        Assert.All(report.Errors, e => Assert.Equal(10, e.Line));
        Assert.Contains(report.Errors, e => e.Message.StartsWith("Wrong keys \"prompt\", \"completion\"", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Message.StartsWith("Missing \"messages\"", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownTopLevelKey_IsAWrongKey()
    {
        var error = OnlyError("""{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}], "label": "greeting"}""");
        Assert.StartsWith("Wrong key \"label\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyMessages_IsReported()
    {
        var error = OnlyError("""{"messages": []}""");
        Assert.Contains("non-empty array", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MessageWithoutRole_IsReported()
    {
        var error = OnlyError("""{"messages": [{"content": "Hi"}, {"role": "assistant", "content": "Hello"}]}""");
        Assert.Equal("messages[0] has no \"role\": give it one of system, developer, user, assistant, tool, function.", error.Message);
    }

    [Fact]
    public void MessageWithoutContent_IsReported()
    {
        var error = OnlyError("""{"messages": [{"role": "user"}, {"role": "assistant", "content": "Hello"}]}""");
        Assert.Equal("messages[0] has no \"content\".", error.Message);
    }

    [Fact]
    public void MessageThatIsNotAnObject_IsReported()
    {
        var error = OnlyError("""{"messages": ["Hi", {"role": "assistant", "content": "Hello"}]}""");
        Assert.StartsWith("messages[0] is a JSON string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownRole_IsReported()
    {
        var error = OnlyError("""{"messages": [{"role": "human", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}""");
        Assert.StartsWith("messages[0] has the unknown role \"human\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownMessageKey_IsAWrongKey()
    {
        var error = OnlyError("""{"messages": [{"role": "user", "content": "Hi", "text": "Hi"}, {"role": "assistant", "content": "Hello"}]}""");
        Assert.StartsWith("Wrong key \"messages[0].text\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContentOfTheWrongType_IsReported()
    {
        var error = OnlyError("""{"messages": [{"role": "user", "content": 42}, {"role": "assistant", "content": "Hello"}]}""");
        Assert.Equal("messages[0].content must be a string (or an array of content parts).", error.Message);
    }

    [Fact]
    public void NoAssistantTurn_IsReported()
    {
        var error = OnlyError("""{"messages": [{"role": "system", "content": "Be kind."}, {"role": "user", "content": "Hi"}]}""");
        Assert.StartsWith("No assistant turn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyAssistantTurn_IsReported()
    {
        var error = OnlyError("""{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "  "}]}""");
        Assert.StartsWith("messages[1] is an empty assistant turn", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"role": "assistant", "content": "Hello", "weight": 2}""", "messages[1].weight must be 0")]
    [InlineData("""{"role": "assistant", "content": "Hello", "weight": "1"}""", "messages[1].weight must be 0")]
    public void WeightOtherThanZeroOrOne_IsReported(string assistant, string expected)
    {
        var error = OnlyError($$"""{"messages": [{"role": "user", "content": "Hi"}, {{assistant}}]}""");
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightOnAUserTurn_IsReported()
    {
        var error = OnlyError("""{"messages": [{"role": "user", "content": "Hi", "weight": 1}, {"role": "assistant", "content": "Hello"}]}""");
        Assert.StartsWith("messages[0] has a \"weight\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToolsThatAreNotAnArray_AreReported()
    {
        var error = OnlyError("""{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}], "tools": {"name": "x"}}""");
        Assert.Equal("\"tools\" must be an array of definitions.", error.Message);
    }

    [Fact]
    public void Preference_MissingInput_IsReported()
    {
        var error = OnlyError("""{"preferred_output": [{"role": "assistant", "content": "4."}], "non_preferred_output": [{"role": "assistant", "content": "5."}]}""", FineTuningMethod.Dpo);
        Assert.StartsWith("Missing \"input\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preference_InputWithoutMessages_IsReported()
    {
        var wrongKey = Check(FileWith("""{"input": {"prompt": "Hi"}, "preferred_output": [{"role": "assistant", "content": "4."}], "non_preferred_output": [{"role": "assistant", "content": "5."}]}""", FineTuningMethod.Dpo), FineTuningMethod.Dpo);
        Assert.Equal(2, wrongKey.TotalErrors);
        Assert.Contains(wrongKey.Errors, e => e.Line == 10 && e.Message.StartsWith("Wrong key \"input.prompt\"", StringComparison.Ordinal));
        var report = Check(FileWith("""{"input": {}, "preferred_output": [{"role": "assistant", "content": "4."}], "non_preferred_output": [{"role": "assistant", "content": "5."}]}""", FineTuningMethod.Dpo), FineTuningMethod.Dpo);
        Assert.StartsWith("\"input.messages\" must be a non-empty array", Assert.Single(report.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("preferred_output")]
    [InlineData("non_preferred_output")]
    public void Preference_MissingAnOutput_IsReported(string missing)
    {
        var line = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Preference)!;
        line.Remove(missing);

        var error = OnlyError(JsonSerializer.Serialize(line), FineTuningMethod.Dpo);

        Assert.StartsWith($"Missing \"{missing}\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"role": "assistant", "content": "4."}, {"role": "assistant", "content": "Four."}]""", "must be an array with exactly one assistant message")]
    [InlineData("""{"role": "assistant", "content": "4."}""", "must be an array with exactly one assistant message")]
    [InlineData("""[{"role": "user", "content": "4."}]""", "must hold one message with \"role\": \"assistant\"")]
    [InlineData("""[{"role": "assistant", "content": ""}]""", "is an empty assistant turn")]
    public void Preference_PreferredOutputThatIsNotOneAssistantMessage_IsReported(string preferred, string expected)
    {
        var error = OnlyError($$"""{"input": {"messages": [{"role": "user", "content": "Hi"}]}, "preferred_output": {{preferred}}, "non_preferred_output": [{"role": "assistant", "content": "5."}]}""", FineTuningMethod.Dpo);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preference_UnknownTopLevelKey_IsAWrongKey()
    {
        var error = OnlyError(Preference[..^1] + """, "label": "maths"}""", FineTuningMethod.Dpo);
        Assert.StartsWith("Wrong key \"label\": a preference (DPO) example has input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlankLines_AreAllowed_AndLineNumbersCountThem()
    {
        var content = "\n" + string.Join("\n\n", Enumerable.Repeat(Chat, 10)) + "\n" + """{"messages": [{"role": "user", "content": "Hi"}]}""" + "\n\n";

        var report = Check(content);

        Assert.Equal(11, report.Examples);
        Assert.Equal(21, Assert.Single(report.Errors).Line); // line 1 blank, examples on 2, 4, … 20
    }

    [Fact]
    public void EmptyFile_IsAFileLevelError()
    {
        var report = Check(" \n\n");
        var error = Assert.Single(report.Errors);
        Assert.Null(error.Line);
        Assert.StartsWith("The file is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FewerThanTenExamples_IsAFileLevelError()
    {
        var report = Check(string.Join("\n", Enumerable.Repeat(Chat, 9)));
        var error = Assert.Single(report.Errors);
        Assert.Null(error.Line);
        Assert.Equal("The file has 9 examples; OpenAI requires at least 10. Add 1 more.", error.Message);
    }

    [Fact]
    public void MixedMethods_IsAFileLevelError_AndTheOddLineIsNamed()
    {
        var report = Check(FileWith(Preference));

        Assert.Equal(2, report.TotalErrors);
        Assert.Contains(report.Errors, e => e.Line is null && e.Message.StartsWith("The file mixes methods: 9 supervised examples (first at line 1) and 1 preference (DPO) example (first at line 10)", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Line == 10 && e.Message.StartsWith("A preference (DPO) example", StringComparison.Ordinal));
    }

    [Fact]
    public void AWholeFileOfTheOtherMethod_IsOneErrorThatNamesTheRightMethod()
    {
        var report = Check(string.Join("\n", Enumerable.Repeat(Chat, 10)), FineTuningMethod.Dpo);
        Assert.Equal("Every line is a supervised (messages) example: choose the supervised method for this file.", Assert.Single(report.Errors).Message);
    }

    [Fact]
    public void Errors_AreCappedAtAHundred_WithTheRestCounted()
    {
        var content = string.Join("\n", Enumerable.Repeat("not json", 130));

        var report = Check(content);

        Assert.Equal(TrainingDataValidator.MaxErrorsShown, report.Errors.Count);
        Assert.Equal(130, report.TotalErrors);
        Assert.Equal(30, report.HiddenErrors);
        Assert.Equal(100, report.Errors[^1].Line);
    }

    [Fact]
    public void ExamplesLongerThanTheContextWindow_AreWarnedWithTheirLines()
    {
        var longAnswer = string.Join(" ", Enumerable.Repeat("word", 300));
        var content = FileWith($$"""{"messages": [{"role": "user", "content": "Say it"}, {"role": "assistant", "content": "{{longAnswer}}"}]}""");

        var report = Check(content, window: 100);

        Assert.True(report.IsValid);
        var warning = Assert.Single(report.Warnings);
        Assert.Contains("context window of 100 tokens (lines 10)", warning.Message, StringComparison.Ordinal);
        Assert.Equal(10, report.Longest!.Line);
        Assert.Empty(Check(content, window: null).Warnings);
    }

    [Fact]
    public void TokenEstimate_IsTheTokenizersCount_PlusTheChatFormatsOverhead()
    {
        var tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");
        var expected = TrainingTokens.PerReply
            + (3 * TrainingTokens.PerMessage)
            + tokenizer.CountTokens("system") + tokenizer.CountTokens("Be brief.")
            + tokenizer.CountTokens("user") + tokenizer.CountTokens("What is 2 + 2?")
            + tokenizer.CountTokens("assistant") + tokenizer.CountTokens("4.");

        var report = Check(string.Join("\n", Enumerable.Repeat(Chat, 10)));

        Assert.All(report.Counted, e => Assert.Equal(expected, e.Tokens));
        Assert.Equal(10L * expected, report.TotalTokens);
    }

    [Fact]
    public void TokenEstimate_OfAPreferenceExample_CountsThePromptAndBothAnswers()
    {
        var tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");
        var expected = TrainingTokens.PerReply + (3 * TrainingTokens.PerMessage)
            + tokenizer.CountTokens("user") + tokenizer.CountTokens("What is 2 + 2?")
            + (2 * tokenizer.CountTokens("assistant")) + tokenizer.CountTokens("4.") + tokenizer.CountTokens("Five.");

        var report = Check(string.Join("\n", Enumerable.Repeat(Preference, 10)), FineTuningMethod.Dpo);

        Assert.Equal(expected, report.Counted[0].Tokens);
    }

    [Fact]
    public void Bytes_WithAUtf8Mark_AreRead()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Repeat(Chat, 10)))).ToArray();
        Assert.True(TrainingDataValidator.Validate(bytes, FineTuningMethod.Supervised, null).IsValid);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Portal.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Portal.sln not found above the test folder.");
    }
}
