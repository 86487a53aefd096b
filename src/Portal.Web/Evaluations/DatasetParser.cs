using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using Portal.Playground.Inference;

namespace Portal.Web.Evaluations;

/// <summary>
/// Reads dataset files: JSONL (one JSON object per line) or CSV (a header row). Every row is checked and every problem
/// is reported with its row number; the rows come back only when there is none. See the README's "Evaluations" section
/// for the format.
/// </summary>
public static class DatasetParser
{
    public const string Jsonl = "jsonl";
    public const string Csv = "csv";

    /// <summary>More problems than this are summed up in one last line.</summary>
    public const int MaxProblems = 100;

    public static readonly string[] InputKeys = ["input", "question"];
    public const string MessagesKey = "messages";
    public static readonly string[] ExpectedKeys = ["expected", "expected_answer", "answer", "ground_truth"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads the stream up to <see cref="DatasetLimits.MaxBytes"/>: a longer one is not read any further, and the
    /// problem says so. Returns the bytes as read otherwise.
    /// </summary>
    public static async Task<(byte[]? Content, DatasetProblem? Problem)> ReadLimitedAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            if (buffer.Length + read > DatasetLimits.MaxBytes)
            {
                return (null, new DatasetProblem(null, null, $"The file is larger than {DatasetLimits.MaxBytes / 1024 / 1024} MB, the most a dataset file may have. Split it into smaller datasets."));
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    /// <summary>The format by the file's extension, else by its first character (<c>{</c> → JSONL).</summary>
    public static string DetectFormat(string fileName, ReadOnlySpan<byte> content)
    {
        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (extension is ".jsonl" or ".ndjson" or ".json")
        {
            return Jsonl;
        }

        if (extension is ".csv")
        {
            return Csv;
        }

        foreach (var b in content)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }

            return b == (byte)'{' ? Jsonl : Csv;
        }

        return Jsonl;
    }

    public static DatasetParseResult Parse(byte[] content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        var format = DetectFormat(fileName, content);
        if (content.LongLength > DatasetLimits.MaxBytes)
        {
            return new(format, [], [], [new(null, null, $"The file is larger than {DatasetLimits.MaxBytes / 1024 / 1024} MB, the most a dataset file may have.")], 0);
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return new(format, [], [], [new(null, null, "The file is not UTF-8 text. Save it as UTF-8 (JSONL or CSV) and upload it again.")], 0);
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return new(format, [], [], [new(null, null, "The file is empty: it has no rows.")], 0);
        }

        return format == Csv ? ParseCsv(text) : ParseJsonl(text);
    }

    private static DatasetParseResult ParseJsonl(string text)
    {
        var problems = new Problems();
        var rows = new List<DatasetRow>();
        var columns = new List<string>();
        var number = 0;
        var lineNumber = 0;
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            number++;
            if (number > DatasetLimits.MaxRows)
            {
                continue; // counted only: the limit is reported once at the end
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException ex)
            {
                problems.Add(number, null, $"Line {lineNumber} is not valid JSON: {FirstSentence(ex.Message)}");
                continue;
            }

            if (node is not JsonObject obj)
            {
                problems.Add(number, null, $"Line {lineNumber} is not a JSON object: write one object per line, such as {{\"input\": \"…\", \"expected\": \"…\"}}.");
                continue;
            }

            foreach (var key in obj.Select(p => p.Key).Where(k => !columns.Contains(k, StringComparer.Ordinal)))
            {
                columns.Add(key);
            }

            if (ReadJsonRow(number, obj, problems) is { } row)
            {
                rows.Add(row);
            }
        }

        return Finish(Jsonl, columns, rows, problems, number);
    }

    private static DatasetRow? ReadJsonRow(int number, JsonObject obj, Problems problems)
    {
        var fields = obj.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var inputKey = InputKeys.Concat([MessagesKey]).FirstOrDefault(fields.ContainsKey);
        DatasetInput? input = null;
        if (inputKey is null)
        {
            problems.Add(number, "input", "Missing input: give the row an \"input\" (a question, or a messages array), a \"question\" or a \"messages\" key.");
        }
        else
        {
            var value = fields[inputKey];
            if (value is JsonArray array)
            {
                input = ReadMessages(number, inputKey, array, problems);
            }
            else if (inputKey != MessagesKey && value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                input = ReadQuestion(number, inputKey, v.GetValue<string>(), problems);
            }
            else
            {
                problems.Add(number, inputKey, inputKey == MessagesKey
                    ? "\"messages\" must be an array of {\"role\", \"content\"} objects."
                    : $"\"{inputKey}\" must be a string (the question) or an array of {{\"role\", \"content\"}} messages, not {Describe(value)}.");
            }
        }

        string? expected = null;
        var expectedKey = ExpectedKeys.FirstOrDefault(fields.ContainsKey);
        if (expectedKey is not null)
        {
            var value = fields[expectedKey];
            if (value is null)
            {
                expected = null;
            }
            else if (value is JsonValue v && v.GetValueKind() is JsonValueKind.String)
            {
                expected = v.GetValue<string>();
            }
            else if (value is JsonValue n && n.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            {
                expected = n.ToJsonString();
            }
            else
            {
                problems.Add(number, expectedKey, $"\"{expectedKey}\" must be a string, a number or true/false, not {Describe(value)}.");
            }

            if (expected is { Length: > DatasetLimits.MaxFieldChars })
            {
                problems.Add(number, expectedKey, $"\"{expectedKey}\" has more than {DatasetLimits.MaxFieldChars:N0} characters.");
            }
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key.Equals(inputKey, StringComparison.OrdinalIgnoreCase) || key.Equals(expectedKey, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var text = value is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : value?.ToJsonString() ?? "";
            if (text.Length > DatasetLimits.MaxFieldChars)
            {
                problems.Add(number, key, $"\"{key}\" has more than {DatasetLimits.MaxFieldChars:N0} characters.");
            }

            metadata[key] = text;
        }

        return input is null ? null : new DatasetRow(number, input, expected, metadata);
    }

    private static DatasetInput? ReadQuestion(int number, string column, string question, Problems problems)
    {
        if (string.IsNullOrWhiteSpace(question))
        {
            problems.Add(number, column, $"The {column} is empty.");
            return null;
        }

        if (question.Length > DatasetLimits.MaxFieldChars)
        {
            problems.Add(number, column, $"The {column} has more than {DatasetLimits.MaxFieldChars:N0} characters.");
            return null;
        }

        return new DatasetInput(question, null);
    }

    /// <summary>Reads <c>[{"role": "system|user|assistant", "content": "…"}]</c>, ending with a user message.</summary>
    private static DatasetInput? ReadMessages(int number, string column, JsonArray array, Problems problems)
    {
        if (array.Count == 0)
        {
            problems.Add(number, column, $"The {column} array is empty: give at least one user message.");
            return null;
        }

        var turns = new List<ChatTurn>();
        var ok = true;
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject message)
            {
                problems.Add(number, column, $"Message {i + 1} is not an object with \"role\" and \"content\".");
                ok = false;
                continue;
            }

            var roleText = message["role"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null;
            var content = message["content"] is JsonValue c && c.GetValueKind() == JsonValueKind.String ? c.GetValue<string>() : null;
            if (!TryRole(roleText, out var role))
            {
                problems.Add(number, column, roleText is null
                    ? $"Message {i + 1} has no \"role\": use system, user or assistant."
                    : $"Message {i + 1} has an unknown role '{roleText}': use system, user or assistant.");
                ok = false;
            }

            if (content is null)
            {
                problems.Add(number, column, $"Message {i + 1} has no text \"content\" (a string).");
                ok = false;
            }
            else if (content.Length > DatasetLimits.MaxFieldChars)
            {
                problems.Add(number, column, $"Message {i + 1} has more than {DatasetLimits.MaxFieldChars:N0} characters.");
                ok = false;
            }

            if (ok)
            {
                turns.Add(new ChatTurn(role, content!));
            }
        }

        if (ok && turns.All(t => t.Role != ChatRole.User || string.IsNullOrWhiteSpace(t.Content)))
        {
            problems.Add(number, column, $"The {column} array has no user message with text.");
            ok = false;
        }

        return ok ? new DatasetInput(null, turns) : null;
    }

    /// <summary>Reads one input as the HTTP API gives it: a question (a string) or a messages array; null with the problem otherwise.</summary>
    public static DatasetInput? ReadInput(JsonNode? value, out string? problem)
    {
        var problems = new Problems();
        var input = value switch
        {
            JsonArray array => ReadMessages(1, "input", array, problems),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => ReadQuestion(1, "input", v.GetValue<string>(), problems),
            _ => Bad(problems, 1, "input", "Give the input as a string (the question) or an array of {\"role\", \"content\"} messages."),
        };
        problem = problems.List.Count > 0 ? string.Join(" ", problems.List.Select(p => p.Message)) : null;
        return input;
    }

    public static bool TryRole(string? text, out ChatRole role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "system":
                role = ChatRole.System;
                return true;
            case "user":
                role = ChatRole.User;
                return true;
            case "assistant":
                role = ChatRole.Assistant;
                return true;
            default:
                role = ChatRole.User;
                return false;
        }
    }

    private static DatasetParseResult ParseCsv(string text)
    {
        var problems = new Problems();
        var rows = new List<DatasetRow>();
        var malformed = new HashSet<long>();
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            Separator = ',',
            SkipEmptyLines = true,
            AllowLineBreaksInQuotes = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            // A quote inside an unquoted field ('He said "hi"') is read as text; a quoted field that never closes is a problem.
            OnMalformedRecord = m =>
            {
                if (m.Reason == CsvMalformedReason.UnterminatedQuote)
                {
                    malformed.Add(m.RecordNumber);
                }
            },
        };
        using var reader = CsvReader.Create(new StringReader(text), options, false);
        if (!reader.Read())
        {
            return new(Csv, [], [], [new(null, null, "The file has no header row.")], 0);
        }

        var header = Fields(reader).Select(h => h.Trim()).ToArray();
        var index = header.Select((h, i) => (h, i)).GroupBy(p => p.h, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().i, StringComparer.OrdinalIgnoreCase);
        foreach (var duplicate in header.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add(null, duplicate.Key, $"The header names the column '{duplicate.Key}' more than once.");
        }

        var inputColumn = InputKeys.Concat([MessagesKey]).FirstOrDefault(index.ContainsKey);
        var expectedColumn = ExpectedKeys.FirstOrDefault(index.ContainsKey);
        if (inputColumn is null)
        {
            problems.Add(null, null, $"The header row has no input column: name one 'input' or 'question' (a question per row) or 'messages' (a JSON messages array). It has: {string.Join(", ", header.Select(h => $"'{h}'"))}.");
            return new(Csv, header, [], problems.List, 0);
        }

        var number = 0;
        while (reader.Read())
        {
            var record = Fields(reader);
            number++;
            if (number > DatasetLimits.MaxRows)
            {
                continue;
            }

            if (malformed.Contains(number + 1))
            {
                problems.Add(number, null, "A quoted field is never closed: a field that starts with a double quote must end with one (write a quote inside it as two).");
                continue;
            }

            if (record.Length != header.Length)
            {
                problems.Add(number, null, $"The row has {record.Length} fields; the header has {header.Length}. (A field with a comma or a line break must be in double quotes.)");
                continue;
            }

            DatasetInput? input;
            var inputText = record[index[inputColumn]];
            if (inputColumn.Equals(MessagesKey, StringComparison.OrdinalIgnoreCase) || inputText.TrimStart().StartsWith('['))
            {
                try
                {
                    input = JsonNode.Parse(inputText) is JsonArray array
                        ? ReadMessages(number, inputColumn, array, problems)
                        : Bad(problems, number, inputColumn, $"The {inputColumn} column must hold a JSON array of {{\"role\", \"content\"}} messages.");
                }
                catch (JsonException)
                {
                    input = inputColumn.Equals(MessagesKey, StringComparison.OrdinalIgnoreCase)
                        ? Bad(problems, number, inputColumn, $"The {inputColumn} column is not valid JSON: it must hold an array of {{\"role\", \"content\"}} messages.")
                        : ReadQuestion(number, inputColumn, inputText, problems);
                }
            }
            else
            {
                input = ReadQuestion(number, inputColumn, inputText, problems);
            }

            var expected = expectedColumn is null ? null : record[index[expectedColumn]];
            if (expected is { Length: > DatasetLimits.MaxFieldChars })
            {
                problems.Add(number, expectedColumn, $"The {expectedColumn} has more than {DatasetLimits.MaxFieldChars:N0} characters.");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                if (!header[i].Equals(inputColumn, StringComparison.OrdinalIgnoreCase) && !header[i].Equals(expectedColumn, StringComparison.OrdinalIgnoreCase) && header[i].Length > 0)
                {
                    if (record[i].Length > DatasetLimits.MaxFieldChars)
                    {
                        problems.Add(number, header[i], $"The {header[i]} has more than {DatasetLimits.MaxFieldChars:N0} characters.");
                    }

                    metadata.TryAdd(header[i], record[i]);
                }
            }

            if (input is not null)
            {
                rows.Add(new DatasetRow(number, input, string.IsNullOrEmpty(expected) ? null : expected, metadata));
            }
        }

        return Finish(Csv, header, rows, problems, number);
    }

    private static string[] Fields(CsvReader reader) => [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)];

    private static DatasetInput? Bad(Problems problems, int number, string column, string message)
    {
        problems.Add(number, column, message);
        return null;
    }

    private static DatasetParseResult Finish(string format, IReadOnlyList<string> columns, List<DatasetRow> rows, Problems problems, int total)
    {
        if (total > DatasetLimits.MaxRows)
        {
            problems.Insert(new(null, null, $"The file has {total:N0} rows; a dataset may have at most {DatasetLimits.MaxRows:N0}. Split it into smaller datasets."));
        }
        else if (total == 0)
        {
            problems.Add(null, null, "The file has no rows.");
        }

        var list = problems.List;
        return new(format, columns, list.Count == 0 ? rows : [], list, total);
    }

    private static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "true/false",
            _ => "a string",
        },
        _ => "something else",
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }

    /// <summary>Writes rows as JSONL, in the format <see cref="Parse"/> reads back.</summary>
    public static byte[] WriteJsonl(IEnumerable<DatasetRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var obj = new JsonObject
            {
                ["input"] = row.Input.Messages is { } messages
                    ? new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role.ToString().ToLowerInvariant(), ["content"] = m.Content })])
                    : JsonValue.Create(row.Input.Question ?? ""),
            };
            if (row.Expected is not null)
            {
                obj["expected"] = row.Expected;
            }

            foreach (var (key, value) in row.Metadata)
            {
                if (!obj.ContainsKey(key) && !ExpectedKeys.Concat(InputKeys).Concat([MessagesKey]).Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    obj[key] = value;
                }
            }

            text.Append(obj.ToJsonString()).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private sealed class Problems
    {
        public List<DatasetProblem> List { get; } = [];

        public void Add(int? row, string? column, string message)
        {
            if (List.Count < MaxProblems)
            {
                List.Add(new(row, column, message));
            }
            else if (List.Count == MaxProblems)
            {
                List.Add(new(null, null, $"More problems follow (only the first {MaxProblems} are listed); fix these first."));
            }
        }

        public void Insert(DatasetProblem problem) => List.Insert(0, problem);
    }
}
