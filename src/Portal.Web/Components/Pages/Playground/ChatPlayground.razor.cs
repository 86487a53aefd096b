using Portal.Playground.Inference;
using Portal.Web.Catalog;
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
    private string? _problem;
    private bool _loaded;

    protected override string Path => "playground/chat";

    protected override async Task OnInitializedAsync()
    {
        await LoadConnectionsAsync();
        if (RequestedSession is { } id)
        {
            if (await Sessions.LoadAsync<ChatSessionState>(id, PlaygroundSessions.Chat) is { } saved)
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
        }

        _loaded = true;
    }

    private Task OnPickedAsync((string? Connection, string? Model) choice)
    {
        _state.Connection = choice.Connection;
        _state.Model = choice.Model;
        _problem = null;
        SyncUrl(_state.Connection, _state.Model);
        return Task.CompletedTask;
    }

    private async Task SendAsync()
    {
        var text = _draft.Trim();
        if (text.Length == 0)
        {
            _problem = "Type a message first.";
            return;
        }

        if (_editing is { } editing)
        {
            _state.Messages.RemoveRange(editing, _state.Messages.Count - editing);
            _editing = null;
        }

        _state.Messages.Add(new ChatMessageState { Role = ChatRole.User, Content = text });
        _draft = "";
        _composerVersion++;
        await AnswerAsync();
    }

    private async Task RegenerateAsync()
    {
        if (_state.Messages.Count > 0 && _state.Messages[^1].Role == ChatRole.Assistant)
        {
            _state.Messages.RemoveAt(_state.Messages.Count - 1);
        }

        await AnswerAsync();
    }

    private async Task AnswerAsync()
    {
        _problem = null;
        if (_state.Model is null)
        {
            _problem = "Choose or type a model (or deployment) name first.";
            return;
        }

        var target = await TargetAsync(_state.Connection, p => _problem = p);
        if (target is null)
        {
            return;
        }

        var history = new List<ChatTurn>();
        if (_state.System.Trim() is { Length: > 0 } system)
        {
            history.Add(new ChatTurn(ChatRole.System, system));
        }

        history.AddRange(_state.Messages.Where(m => m.Error is null || m.Content.Length > 0).Select(m => new ChatTurn(m.Role, m.Content)));
        var answer = new ChatMessageState { Role = ChatRole.Assistant, Streaming = true };
        _state.Messages.Add(answer);
        Running = new CancellationTokenSource();
        var model = _state.Model;
        try
        {
            var stream = Inference.StreamChatAsync(target, model, history, _state.Parameters.ToParameters(), Running.Token);
            await Runner.RunAsync(stream, answer, model, string.Join('\n', history.Select(h => h.Content)), () => InvokeAsync(StateHasChanged), Running.Token);
        }
        finally
        {
            Running.Dispose();
            Running = null;
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
        _problem = null;
        SyncUrl(_state.Connection, _state.Model);
    }

    private CodeRequest? CodeRequest()
    {
        if (Find(_state.Connection) is not { } connection || _state.Model is null)
        {
            return null;
        }

        var messages = new List<ChatTurn>();
        if (_state.System.Trim() is { Length: > 0 } system)
        {
            messages.Add(new(ChatRole.System, system));
        }

        messages.AddRange(_state.Messages.Where(m => m.Content.Length > 0).Select(m => new ChatTurn(m.Role, m.Content)));
        if (_draft.Trim() is { Length: > 0 } draft)
        {
            messages.Add(new(ChatRole.User, draft));
        }

        if (messages.All(m => m.Role != ChatRole.User))
        {
            messages.Add(new(ChatRole.User, "Hello!"));
        }

        return new CodeRequest(connection.Kind, connection.Endpoint, connection.Auth, _state.Model, ModelCodeSamples.Api.Chat, messages, "", _state.Parameters.ToParameters());
    }
}
