using Microsoft.AspNetCore.Components;
using Portal.Playground.Inference;
using Portal.Web.Code;
using Portal.Web.Playground;

namespace Portal.Web.Components.Pages.Playground;

/// <summary>
/// Compare: one message to two or three connection/model pairs, streamed side by side. Each pane is its own
/// conversation: a failed turn in one pane is kept there, not sent again, and can be retried in that pane alone.
/// </summary>
public sealed partial class ComparePlayground
{
    [SupplyParameterFromQuery(Name = "pane")] public string[]? PaneParameters { get; set; }

    private CompareSessionState _state = new();
    private string _draft = "";
    private int? _codeFor;
    private int _composerVersion;
    private bool _savingDataset;
    private bool _mayCreateDataset;

    protected override string Path => "playground/compare";

    protected override async Task OnAccessChangedAsync()
    {
        await base.OnAccessChangedAsync();
        _mayCreateDataset = await Access.CanAsync(Portal.Web.Access.PortalAction.ManageDatasets, ComponentToken);
    }

    protected override async Task OnInitializedAsync()
    {
        await LoadConnectionsAsync();
        if (RequestedSession is { } id && await Sessions.LoadAsync<CompareSessionState>(id, PlaygroundSessions.Compare, ComponentToken) is { } saved)
        {
            _state = saved;
            SessionId = id;
            foreach (var m in _state.Panes.SelectMany(p => p.Messages))
            {
                m.Streaming = false;
            }
        }
        else
        {
            foreach (var text in (PaneParameters ?? []).Take(3))
            {
                var parts = text.Split('|', 2);
                _state.Panes.Add(new ComparePaneState { Connection = Find(parts[0])?.Name ?? (parts[0].Length > 0 ? parts[0] : null), Model = parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null });
            }

            var first = DefaultConnection();
            while (_state.Panes.Count < 2)
            {
                _state.Panes.Add(new ComparePaneState { Connection = first, Model = DefaultModel(first) });
            }
        }
    }

    private void OnPicked(int index, (string? Connection, string? Model) choice)
    {
        _state.Panes[index].Connection = choice.Connection;
        _state.Panes[index].Model = choice.Model;
        SyncCompareUrl();
    }

    private void AddPane()
    {
        _state.Panes.Add(new ComparePaneState { Connection = _state.Panes[^1].Connection, Model = _state.Panes[^1].Model });
        SyncCompareUrl();
    }

    private void RemovePane(int index)
    {
        _state.Panes.RemoveAt(index);
        SyncCompareUrl();
    }

    private void SyncCompareUrl()
    {
        var parts = _state.Panes.Select(p => $"pane={Uri.EscapeDataString($"{p.Connection}|{p.Model}")}").ToList();
        if (SessionId != Guid.Empty)
        {
            parts.Add($"session={SessionId}");
        }

        ReplaceUrl($"{Path}?{string.Join('&', parts)}");
    }

    /// <summary>Every pane's target, or null (and the problem shown) when one pane is not ready.</summary>
    private async Task<List<InferenceTarget>?> TargetsAsync(IEnumerable<ComparePaneState> panes)
    {
        var targets = new List<InferenceTarget>();
        foreach (var pane in panes)
        {
            if (!Run.Ready(pane.Model))
            {
                Run.Problem = "Choose a model in every pane first.";
                return null;
            }

            if (await TargetAsync(pane.Connection, p => Run.Problem = p) is not { } target)
            {
                return null;
            }

            targets.Add(target);
        }

        return targets;
    }

    private async Task SendAsync()
    {
        var text = _draft.Trim();
        if (text.Length == 0)
        {
            Run.Problem = "Type a message first.";
            return;
        }

        if (text.Length > PlaygroundRun.MaxTextChars)
        {
            Run.Problem = PlaygroundRun.TooLong(text.Length);
            return;
        }

        if (await TargetsAsync(_state.Panes) is not { } targets)
        {
            return;
        }

        _draft = "";
        _composerVersion++;
        var answers = _state.Panes.Select(pane => Conversation.Ask(pane.Messages, text)).ToList();
        await AnswerAsync([.. _state.Panes.Select((pane, i) => (pane, targets[i], answers[i]))], text);
    }

    /// <summary>Sends a pane's failed turn again, in that pane only, with the model chosen there now.</summary>
    private async Task RetryAsync(int paneIndex, int answerIndex)
    {
        var pane = _state.Panes[paneIndex];
        if (await TargetsAsync([pane]) is not [var target] || !Conversation.Retry(pane.Messages, answerIndex))
        {
            return;
        }

        await AnswerAsync([(pane, target, Conversation.StartAnswer(pane.Messages))], pane.Messages[^2].Content);
    }

    private async Task AnswerAsync(IReadOnlyList<(ComparePaneState Pane, InferenceTarget Target, ChatMessageState Answer)> runs, string title)
    {
        using var hold = Shutdown.Hold();
        var present = await Run.RunAsync(token => Task.WhenAll(runs.Select(r => AnswerPaneAsync(r.Pane, r.Target, r.Answer, token))));
        if (!present)
        {
            return;
        }

        await SaveSessionAsync(PlaygroundSessions.Compare, PlaygroundSessions.Title(_state.Panes[0].Messages.FirstOrDefault()?.Content ?? title), _state);
        SyncCompareUrl();
    }

    private async Task AnswerPaneAsync(ComparePaneState pane, InferenceTarget target, ChatMessageState answer, CancellationToken token)
    {
        var model = pane.Model!;
        var context = Conversation.Context(_state.System, pane.Messages);
        var parameters = (_state.SyncParameters ? _state.Parameters : pane.Parameters).ToParameters();
        await Task.Yield();

        // One scope per pane: the panes run at the same time, each its own call and trace.
        var scope = CallScope(ModelCallFeatures.Compare);
        using (ModelCallScope.Begin(scope))
        {
            await Runner.RunAsync(Inference.StreamChatAsync(target, model, context, parameters, token), answer, model, Conversation.PromptText(context), UpdateAsync, token);
        }

        answer.TraceId = scope.TraceId;
    }

    private void Clear()
    {
        foreach (var pane in _state.Panes)
        {
            pane.Messages.Clear();
        }

        SessionId = Guid.Empty;
        SyncCompareUrl();
    }

    /// <summary>"View code" for one pane: its connection and model, the shared system message and the pane's conversation.</summary>
    private CodeRequest? CodeRequest(ComparePaneState pane)
    {
        if (Find(pane.Connection) is not { } connection || pane.Model is null)
        {
            return null;
        }

        var messages = Conversation.Next(_state.System, pane.Messages, _draft);
        var parameters = (_state.SyncParameters ? _state.Parameters : pane.Parameters).ToParameters();
        return new CodeRequest(connection.Kind, connection.Endpoint, connection.Auth, pane.Model, CodeApi.Chat, messages, "", parameters);
    }
}
