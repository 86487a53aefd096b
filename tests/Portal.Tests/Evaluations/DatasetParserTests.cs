using System.Text;
using Portal.Playground.Inference;
using Portal.Web.Evaluations;

namespace Portal.Tests.Evaluations;

public sealed class DatasetParserTests
{
    private static DatasetParseResult Parse(string text, string fileName = "data.jsonl") => DatasetParser.Parse(Encoding.UTF8.GetBytes(text), fileName);

    [Fact]
    public void Jsonl_QuestionsMessagesAndAliases_AreRead_WithMetadata()
    {
        var result = Parse("""
            {"input": "What is 2 + 3?", "expected": "5", "topic": "math"}
            {"question": "Capital of France?", "answer": "Paris"}
            {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}], "ground_truth": 7, "difficulty": 2}

            {"input": [{"role": "USER", "content": "Hello"}], "expected_answer": "Hello back"}
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.Equal(DatasetParser.Jsonl, result.Format);
        Assert.Equal(4, result.TotalRows);
        Assert.Equal([1, 2, 3, 4], result.Rows.Select(r => r.Number));
        Assert.Equal("What is 2 + 3?", result.Rows[0].Input.Question);
        Assert.Equal("5", result.Rows[0].Expected);
        Assert.Equal("math", result.Rows[0].Metadata["topic"]);
        Assert.Equal("Paris", result.Rows[1].Expected);
        Assert.Equal([ChatRole.System, ChatRole.User], result.Rows[2].Input.Messages!.Select(m => m.Role));
        Assert.Equal("7", result.Rows[2].Expected);
        Assert.Equal("2", result.Rows[2].Metadata["difficulty"]);
        Assert.Equal("Hello back", result.Rows[3].Expected);
        Assert.Contains("topic", result.Columns);
    }

    [Fact]
    public void Jsonl_EveryMalformedRow_IsReportedWithItsRowNumber_AndNoRowsAreReturned()
    {
        var result = Parse("""
            {"input": "fine", "expected": "ok"}
            {"input": "broken
            ["not", "an", "object"]
            {"expected": "no input"}
            {"input": 42}
            {"input": "   "}
            {"input": [{"role": "wizard", "content": "hi"}]}
            {"input": [{"role": "user"}]}
            {"input": "ok", "expected": {"nested": true}}
            {"messages": "not an array"}
            {"input": []}
            {"input": [{"role": "system", "content": "only a system message"}]}
            """);

        Assert.False(result.IsValid);
        Assert.Empty(result.Rows);
        Assert.Equal(12, result.TotalRows);
        string RowProblem(int row) => string.Join(" | ", result.Problems.Where(p => p.Row == row).Select(p => p.Message));
        Assert.Empty(RowProblem(1));
        Assert.Contains("Line 2 is not valid JSON", RowProblem(2), StringComparison.Ordinal);
        Assert.Contains("not a JSON object", RowProblem(3), StringComparison.Ordinal);
        Assert.Contains("Missing input", RowProblem(4), StringComparison.Ordinal);
        Assert.Contains("must be a string", RowProblem(5), StringComparison.Ordinal);
        Assert.Contains("empty", RowProblem(6), StringComparison.Ordinal);
        Assert.Contains("unknown role 'wizard'", RowProblem(7), StringComparison.Ordinal);
        Assert.Contains("no text \"content\"", RowProblem(8), StringComparison.Ordinal);
        Assert.Contains("\"expected\" must be a string, a number or true/false", RowProblem(9), StringComparison.Ordinal);
        Assert.Contains("must be an array", RowProblem(10), StringComparison.Ordinal);
        Assert.Contains("array is empty", RowProblem(11), StringComparison.Ordinal);
        Assert.Contains("no user message", RowProblem(12), StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_WithQuotedFieldsAndAMessagesColumn_IsRead()
    {
        var result = Parse("""
            question,expected,topic,notes
            "What is 1 + 1, in words?",two,math,"multi
            line"
            Capital of Japan?,Tokyo,geography,
            """, "data.csv");

        Assert.True(result.IsValid, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.Equal(DatasetParser.Csv, result.Format);
        Assert.Equal(["question", "expected", "topic", "notes"], result.Columns);
        Assert.Equal(2, result.Rows.Count);
        Assert.Equal("What is 1 + 1, in words?", result.Rows[0].Input.Question);
        Assert.Equal("two", result.Rows[0].Expected);
        Assert.Equal("multi\nline", result.Rows[0].Metadata["notes"].ReplaceLineEndings("\n"));
        Assert.Equal("Tokyo", result.Rows[1].Expected);

        var messages = Parse("messages,answer\n\"[{\"\"role\"\": \"\"user\"\", \"\"content\"\": \"\"Hi\"\"}]\",Hello\n", "m.csv");
        Assert.True(messages.IsValid, string.Join("; ", messages.Problems.Select(p => p.Message)));
        Assert.Equal("Hi", Assert.Single(messages.Rows).Input.Messages!.Single().Content);
        Assert.Equal("Hello", messages.Rows[0].Expected);
    }

    [Fact]
    public void Csv_Problems_AreRowNumbered_AndAMissingInputColumnIsNamed()
    {
        var missing = Parse("prompt,expected\nhi,there\n", "x.csv");
        Assert.False(missing.IsValid);
        Assert.Contains("no input column", Assert.Single(missing.Problems).Message, StringComparison.Ordinal);

        var result = Parse("input,expected\nfine,ok\ntoo,many,fields\n  ,empty\n\"never closed,x\n", "x.csv");
        Assert.False(result.IsValid);
        Assert.Empty(result.Rows);
        Assert.Contains(result.Problems, p => p.Row == 2 && p.Message.Contains("3 fields; the header has 2", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Row == 3 && p.Message.Contains("empty", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Row == 4 && p.Message.Contains("never closed", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Problems, p => p.Row == 1);
    }

    [Fact]
    public void TooManyRows_GetsAClearLimit()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            text.Append("{\"input\": \"q").Append(i).Append("\"}\n");
        }

        var result = Parse(text.ToString());

        Assert.False(result.IsValid);
        Assert.Empty(result.Rows);
        Assert.Equal(10_000, result.TotalRows);
        Assert.Contains("has 10,000 rows; a dataset may have at most 5,000", result.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A50MegabyteUpload_GetsTheSizeLimit_WithoutBeingReadWhole()
    {
        await using var stream = new CountingStream(50L * 1024 * 1024);

        var (content, problem) = await DatasetParser.ReadLimitedAsync(stream, CancellationToken.None);

        Assert.Null(content);
        Assert.Contains("larger than 10 MB", problem!.Message, StringComparison.Ordinal);
        Assert.True(stream.Position <= DatasetLimits.MaxBytes + (1024 * 1024), $"read {stream.Position} bytes");
    }

    [Fact]
    public void NotUtf8_AndEmpty_AreClearProblems()
    {
        Assert.Contains("not UTF-8", DatasetParser.Parse([0xFF, 0xFE, 0x00, 0x41], "x.jsonl").Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("empty", Parse("  \n ").Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_ComesFromTheExtension_ElseFromTheContent()
    {
        Assert.Equal(DatasetParser.Csv, DatasetParser.DetectFormat("a.csv", "{"u8));
        Assert.Equal(DatasetParser.Jsonl, DatasetParser.DetectFormat("upload", "  {\"input\": 1}"u8));
        Assert.Equal(DatasetParser.Csv, DatasetParser.DetectFormat("upload", "input,expected"u8));
    }

    [Fact]
    public void WrittenJsonl_ReadsBackAsTheSameRows()
    {
        DatasetRow[] rows =
        [
            new(1, new DatasetInput("Q1", null), "A1", new Dictionary<string, string> { ["topic"] = "t" }),
            new(2, new DatasetInput(null, [new ChatTurn(ChatRole.User, "Hi")]), null, new Dictionary<string, string>()),
        ];

        var back = DatasetParser.Parse(DatasetParser.WriteJsonl(rows), "rows.jsonl");

        Assert.True(back.IsValid);
        Assert.Equal(rows.Select(r => (r.Number, r.Input.Display, r.Expected)), back.Rows.Select(r => (r.Number, r.Input.Display, r.Expected)));
        Assert.Equal("t", back.Rows[0].Metadata["topic"]);
    }

    [Fact]
    public void TheExampleDataset_IsValid_WithShortExpectedAnswers()
    {
        var result = DatasetParser.Parse(EvaluationRunner.ExampleContent(), "portal-quickstart.jsonl");

        Assert.True(result.IsValid, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.InRange(result.Rows.Count, 10, 15);
        Assert.All(result.Rows, r => Assert.InRange(r.Expected!.Length, 1, 20));
        Assert.All(result.Rows, r => Assert.True(r.Metadata.ContainsKey("topic")));
    }

    /// <summary>A stream of <c>{"input": "x"}</c> lines of the given length, counting what is read.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        private static readonly byte[] Line = "{\"input\": \"xxxxxxxxxxxxxxxxxxxxxxxx\"}\n"u8.ToArray();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = Line[(Position + i) % Line.Length];
            }

            Position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
