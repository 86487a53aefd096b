using Portal.Playground.Inference;
using Portal.Web.Evaluations;

namespace Portal.Web.Playground;

/// <summary>One prompt of a compare session and each pane's answer to it (null where the pane has none that finished well).</summary>
public sealed record ComparePrompt(int Number, string Prompt, IReadOnlyList<string?> Answers);

/// <summary>
/// Turns a playground compare session into dataset rows: every prompt sent becomes an input (with the session's system
/// message, when there is one), and the answer the user chose, if any, becomes the expected one.
/// </summary>
public static class CompareDataset
{
    /// <summary>The prompts in the order sent; pane 1's turns lead (every pane was sent the same prompts).</summary>
    public static IReadOnlyList<ComparePrompt> Prompts(CompareSessionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Panes.Count == 0)
        {
            return [];
        }

        var prompts = new List<ComparePrompt>();
        var userTurns = state.Panes[0].Messages.Where(m => m.Role == ChatRole.User).Select(m => m.Content).ToList();
        for (var k = 0; k < userTurns.Count; k++)
        {
            var answers = state.Panes.Select(pane => AnswerTo(pane.Messages, k)).ToList();
            prompts.Add(new ComparePrompt(k + 1, userTurns[k], answers));
        }

        return prompts;
    }

    /// <summary>The rows: <paramref name="expected"/> holds, per prompt, the index of the pane whose answer is expected (or null).</summary>
    public static IReadOnlyList<DatasetRow> Rows(CompareSessionState state, IReadOnlyList<ComparePrompt> prompts, IReadOnlyList<int?> expected)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(expected);
        var system = state.System.Trim();
        return [.. prompts.Select((p, i) => new DatasetRow(
            p.Number,
            system.Length > 0 ? new DatasetInput(null, [new ChatTurn(ChatRole.System, system), new ChatTurn(ChatRole.User, p.Prompt)]) : new DatasetInput(p.Prompt, null),
            i < expected.Count && expected[i] is { } pane && pane < p.Answers.Count ? p.Answers[pane] : null,
            new Dictionary<string, string> { ["source"] = "playground-compare" }))];
    }

    /// <summary>The pane's answer to its <paramref name="turn"/>-th prompt, when it finished well (not failed, stopped or cut off).</summary>
    private static string? AnswerTo(List<ChatMessageState> messages, int turn)
    {
        var seen = -1;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role == ChatRole.User && ++seen == turn)
            {
                return i + 1 < messages.Count && messages[i + 1] is { Role: ChatRole.Assistant } answer
                    && !Conversation.Failed(answer) && !answer.Stopped && !answer.Interrupted && !answer.Streaming && answer.Content.Length > 0
                    ? answer.Content
                    : null;
            }
        }

        return null;
    }
}
