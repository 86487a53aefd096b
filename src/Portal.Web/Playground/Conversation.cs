using Portal.Playground.Inference;

namespace Portal.Web.Playground;

/// <summary>
/// The turns of a chat (the chat playground, or one compare pane): what is sent as context, and how a failed turn is
/// sent again. A turn whose answer failed (an error, or cut off in the middle) stays on the page but is not sent with
/// the next message, unless the user retries it.
/// </summary>
public static class Conversation
{
    /// <summary>Whether this message is an answer that failed: an error before or during the answer.</summary>
    public static bool Failed(ChatMessageState message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Role == ChatRole.Assistant && (message.Error is not null || message.Interrupted);
    }

    /// <summary>What the endpoint gets: the system message, then every turn whose answer did not fail.</summary>
    public static List<ChatTurn> Context(string system, IReadOnlyList<ChatMessageState> messages)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(messages);
        var turns = new List<ChatTurn>();
        if (system.Trim() is { Length: > 0 } text)
        {
            turns.Add(new(ChatRole.System, text));
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var answerFailed = message.Role == ChatRole.User && i + 1 < messages.Count && Failed(messages[i + 1]);
            if (!answerFailed && !Failed(message) && !message.Streaming)
            {
                turns.Add(new(message.Role, message.Content));
            }
        }

        return turns;
    }

    /// <summary>What "View code" shows: what the next message would send, with the draft (a greeting when nothing was asked yet).</summary>
    public static List<ChatTurn> Next(string system, IReadOnlyList<ChatMessageState> messages, string draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var turns = Context(system, messages);
        if (draft.Trim() is { Length: > 0 } text)
        {
            turns.Add(new(ChatRole.User, text));
        }

        if (turns.All(t => t.Role != ChatRole.User))
        {
            turns.Add(new(ChatRole.User, "Hello!"));
        }

        return turns;
    }

    /// <summary>The prompt as text, for estimating input tokens when the endpoint reports none.</summary>
    public static string PromptText(IEnumerable<ChatTurn> context) => string.Join('\n', context.Select(t => t.Content));

    /// <summary>Adds the user's message and the (empty, streaming) answer that follows it; returns the answer.</summary>
    public static ChatMessageState Ask(List<ChatMessageState> messages, string text)
    {
        ArgumentNullException.ThrowIfNull(messages);
        messages.Add(new ChatMessageState { Role = ChatRole.User, Content = text });
        return StartAnswer(messages);
    }

    /// <summary>Adds an empty, streaming answer at the end; returns it.</summary>
    public static ChatMessageState StartAnswer(List<ChatMessageState> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var answer = new ChatMessageState { Role = ChatRole.Assistant, Streaming = true };
        messages.Add(answer);
        return answer;
    }

    /// <summary>
    /// Takes the failed turn whose answer is at <paramref name="answerIndex"/> out of the conversation and puts its
    /// question back at the end, ready to be answered again. False when that message is not a failed answer to a question.
    /// </summary>
    public static bool Retry(List<ChatMessageState> messages, int answerIndex)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (answerIndex < 1 || answerIndex >= messages.Count || !Failed(messages[answerIndex]) || messages[answerIndex - 1].Role != ChatRole.User)
        {
            return false;
        }

        var question = messages[answerIndex - 1];
        messages.RemoveRange(answerIndex - 1, 2);
        messages.Add(question);
        return true;
    }
}
