namespace Portal.Playground.Markdown;

/// <summary>
/// Markdown that grows while it streams, rendered incrementally: text up to the last blank line outside a code fence
/// is a finished block, parsed once and kept (<see cref="Finished"/>); only the unfinished rest is parsed again on
/// each update (<see cref="Tail"/>). When the text is complete it is parsed once as a whole, so constructs that span
/// blocks (a list with blank lines between its items, link references) come out as in one parse. Everything goes
/// through <see cref="SafeMarkdown"/>.
/// </summary>
public sealed class MarkdownBlocks
{
    private readonly List<string> _finished = [];
    private string _source = "";
    private int _finishedLength;
    private bool _complete;

    /// <summary>The HTML of each finished block, in order; a block once here never changes while the text grows.</summary>
    public IReadOnlyList<string> Finished => _finished;

    /// <summary>The HTML of the text after the last finished block.</summary>
    public string Tail { get; private set; } = "";

    /// <summary>Brings the HTML up to date with <paramref name="markdown"/>; cheap when nothing changed.</summary>
    public void Update(string markdown, bool complete)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        if (ReferenceEquals(markdown, _source) && complete == _complete)
        {
            return;
        }

        var grew = !_complete && markdown.Length >= _finishedLength && markdown.AsSpan(0, _finishedLength).SequenceEqual(_source.AsSpan(0, _finishedLength));
        _source = markdown;
        _complete = complete;
        if (complete)
        {
            _finished.Clear();
            _finished.Add(SafeMarkdown.ToHtml(markdown));
            _finishedLength = markdown.Length;
            Tail = "";
            return;
        }

        if (!grew)
        {
            _finished.Clear();
            _finishedLength = 0;
        }

        var boundary = LastBlockBoundary(markdown, _finishedLength);
        if (boundary > _finishedLength)
        {
            _finished.Add(SafeMarkdown.ToHtml(markdown[_finishedLength..boundary]));
            _finishedLength = boundary;
        }

        Tail = SafeMarkdown.ToHtml(markdown[_finishedLength..]);
    }

    /// <summary>The end of the last blank line after <paramref name="from"/> that is outside a fenced code block (or <paramref name="from"/>).</summary>
    private static int LastBlockBoundary(string text, int from)
    {
        var boundary = from;
        var inFence = false;
        var previousBlank = false;
        var start = from;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                break; // the last line is unfinished
            }

            var line = text.AsSpan(start, end - start).Trim();
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            var blank = line.IsEmpty;
            if (blank && !previousBlank && !inFence && start > from)
            {
                boundary = end + 1;
            }

            previousBlank = blank;
            start = end + 1;
        }

        return boundary;
    }
}
