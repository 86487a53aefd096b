using Portal.Playground.Inference;
using Portal.Web.Code;
using Portal.Web.Playground;

namespace Portal.Web.Components.Pages.Playground;

/// <summary>
/// The chat playground: a multi-turn conversation streamed from the chosen connection and model, with Stop,
/// regenerate, edit-and-resend and clear. Every answer is saved to history when it ends; a failure or Stop keeps
/// the conversation and the partial answer.
/// </summary>
public sealed partial class ChatPlayground
{
    private ChatSessionState _state = new();
    private string _draft = "";
    private int _composerVersion;
    private int? _editing;
    private bool _loaded;
    private bool _setupOpen = true;
    private bool _codeOpen;
    private string? _unserved;

    protected override string Path => "playground/chat";

    protected override async Task OnInitializedAsync()
    {
        await LoadConnectionsAsync();
        if (RequestedSession is { } id)
        {
            if (await Sessions.LoadAsync<ChatSessionState>(id, PlaygroundSessions.Chat, ComponentToken) is { } saved)
            {
                _state = saved;
                SessionId = id;
                foreach (var m in _state.Messages)
                {
                    m.Streaming = false;
                }
            }
            else
            {
                Status = "That session is not in your history any more; a new one was started.";
            }
        }

        if (SessionId == Guid.Empty)
        {
            _state.Connection = DefaultConnection();
            _state.Model = DefaultModel(_state.Connection);
            _unserved = UnservedModel();
        }

        _loaded = true;
    }

    private Task OnPickedAsync((string? Connection, string? Model) choice)
    {
        _state.Connection = choice.Connection;
        _state.Model = choice.Model;
        _unserved = null;
        Run.Problem = null;
        SyncUrl(_state.Connection, _state.Model);
        return Task.CompletedTask;
    }

    /// <summary>Sends the draft. The draft stays in the composer until the request can be made, so nothing typed is lost.</summary>
    private async Task SendAsync()
    {
        var text = _draft.Trim();
        if (!Run.Ready(text, _state.Model, "Type a message first.") || await TargetAsync(_state.Connection, p => Run.Problem = p) is not { } target)
        {
            return;
        }

        if (_editing is { } editing)
        {
            _state.Messages.RemoveRange(editing, _state.Messages.Count - editing);
            _editing = null;
        }

        _draft = "";
        _composerVersion++;
        await AnswerAsync(target, Conversation.Ask(_state.Messages, text));
    }

    private async Task RegenerateAsync()
    {
        if (!Run.Ready(_state.Model) || await TargetAsync(_state.Connection, p => Run.Problem = p) is not { } target)
        {
            return;
        }

        if (_state.Messages.Count > 0 && _state.Messages[^1].Role == ChatRole.Assistant)
        {
            _state.Messages.RemoveAt(_state.Messages.Count - 1);
        }

        await AnswerAsync(target, Conversation.StartAnswer(_state.Messages));
    }

    /// <summary>Sends a failed turn again (at the end of the conversation), with the connection and model chosen now.</summary>
    private async Task RetryAsync(int answerIndex)
    {
        if (!Run.Ready(_state.Model) || await TargetAsync(_state.Connection, p => Run.Problem = p) is not { } target)
        {
            return;
        }

        if (Conversation.Retry(_state.Messages, answerIndex))
        {
            await AnswerAsync(target, Conversation.StartAnswer(_state.Messages));
        }
    }

    private async Task AnswerAsync(InferenceTarget target, ChatMessageState answer)
    {
        using var hold = Shutdown.Hold();
        var model = _state.Model!;
        var context = Conversation.Context(_state.System, _state.Messages);
        var parameters = _state.Parameters.ToParameters();
        var scope = CallScope(ModelCallFeatures.Chat);
        bool present;
        using (ModelCallScope.Begin(scope))
        {
            present = await Run.RunAsync(token =>
                Runner.RunAsync(Inference.StreamChatAsync(target, model, context, parameters, token), answer, model, Conversation.PromptText(context), UpdateAsync, token));
        }

        answer.TraceId = scope.TraceId;
        if (!present)
        {
            return;
        }

        var first = _state.Messages.FirstOrDefault(m => m.Role == ChatRole.User)?.Content ?? "Chat";
        await SaveSessionAsync(PlaygroundSessions.Chat, PlaygroundSessions.Title(first), _state);
        SyncUrl(_state.Connection, _state.Model);
    }

    private void Edit(int index)
    {
        _editing = index;
        _draft = _state.Messages[index].Content;
        _composerVersion++;
    }

    private void CancelEdit()
    {
        _editing = null;
        _draft = "";
        _composerVersion++;
    }

    /// <summary>Starts a new session; the old one stays in history.</summary>
    private void Clear()
    {
        _state = new ChatSessionState { Connection = _state.Connection, Model = _state.Model, System = _state.System, Parameters = _state.Parameters.Clone() };
        SessionId = Guid.Empty;
        _editing = null;
        Run.Problem = null;
        SyncUrl(_state.Connection, _state.Model);
    }

    private CodeRequest? CodeRequest()
    {
        if (Find(_state.Connection) is not { } connection || _state.Model is null)
        {
            return null;
        }

        var messages = Conversation.Next(_state.System, _state.Messages, _draft);
        return new CodeRequest(connection.Kind, connection.Endpoint, connection.Auth, _state.Model, CodeApi.Chat, messages, "", _state.Parameters.ToParameters());
    }
}
