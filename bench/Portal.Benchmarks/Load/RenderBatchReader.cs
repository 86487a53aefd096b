using System.Text;

namespace Portal.Benchmarks.Load;

/// <summary>One reference frame of a render batch: what the browser's renderer reads (no sequence numbers, no values
/// that are not strings). <see cref="Name"/> is the element or attribute name, <see cref="Value"/> the attribute value,
/// text or markup; <see cref="SubtreeLength"/> an element's frame count with its attributes and descendants.</summary>
public sealed record BatchFrame(int Type, string? Name, string? Value, ulong EventHandlerId, int SubtreeLength = 1)
{
    public const int Element = 1;
    public const int Text = 2;
    public const int Attribute = 3;
    public const int Markup = 8;
}

public sealed record RenderBatchData(IReadOnlyList<BatchFrame> Frames, IReadOnlyList<ulong> DisposedEventHandlerIds)
{
    /// <summary>
    /// The <paramref name="eventAttribute"/> handler of the first <paramref name="elementName"/> element whose accessible
    /// name (its aria-label, or the text of the element its aria-labelledby names) matches; null if none in this batch.
    /// </summary>
    public ulong? FindHandler(string elementName, Func<string, bool> accessibleName, string eventAttribute)
    {
        var textById = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Frames.Count; i++)
        {
            if (Frames[i].Type == BatchFrame.Element && Attributes(i).FirstOrDefault(a => a.Name == "id")?.Value is { } id)
            {
                textById[id] = string.Concat(Frames.Skip(i + 1).Take(Frames[i].SubtreeLength - 1).Where(f => f.Type == BatchFrame.Text).Select(f => f.Value));
            }
        }

        for (var i = 0; i < Frames.Count; i++)
        {
            if (Frames[i].Type != BatchFrame.Element || Frames[i].Name != elementName)
            {
                continue;
            }

            var attributes = Attributes(i).ToList();
            var handler = attributes.FirstOrDefault(a => a.Name == eventAttribute && a.EventHandlerId != 0)?.EventHandlerId;
            var name = attributes.FirstOrDefault(a => a.Name == "aria-label")?.Value
                ?? (attributes.FirstOrDefault(a => a.Name == "aria-labelledby")?.Value is { } labelledBy ? textById.GetValueOrDefault(labelledBy) : null);
            if (handler is not null && name is not null && accessibleName(name.Trim()))
            {
                return handler;
            }
        }

        return null;
    }

    /// <summary>An element's attributes: the attribute frames that follow it directly.</summary>
    private IEnumerable<BatchFrame> Attributes(int element) => Frames.Skip(element + 1).TakeWhile(f => f.Type == BatchFrame.Attribute);

    public bool HasText(string text) => Frames.Any(f => f.Type == BatchFrame.Text && f.Value == text);
}

/// <summary>
/// Reads Blazor Server's binary render batch (the format of RenderBatchWriter in aspnetcore's Components/Shared,
/// read by the browser's OutOfProcessRenderBatch): sections of updated components, reference frames, disposed
/// component ids and disposed event handler ids, then a string table; the five section offsets are the last 20 bytes.
/// Each frame takes 20 bytes: its type, then 16 bytes whose meaning depends on the type.
/// </summary>
public static class RenderBatchReader
{
    private const int FrameSize = 20;

    public static RenderBatchData Read(byte[] data)
    {
        if (data.Length < 20)
        {
            throw new InvalidDataException($"A render batch of {data.Length} bytes is shorter than its offsets table.");
        }

        var span = data.AsSpan();
        int Int(int at) => at >= 0 && at + 4 <= data.Length ? BitConverter.ToInt32(data, at) : throw new InvalidDataException($"Render batch offset {at} is outside its {data.Length} bytes.");
        var end = data.Length - 20;
        var referenceFrames = Int(end + 4);
        var disposedHandlers = Int(end + 12);
        var stringTable = Int(end + 16);

        var strings = new string[(end - stringTable) / 4];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = ReadString(data, Int(stringTable + 4 * i));
        }

        string? Str(int index) => index == -1 ? null : index >= 0 && index < strings.Length ? strings[index] : throw new InvalidDataException($"String index {index} is outside the table of {strings.Length}.");

        var count = Int(referenceFrames);
        if (count < 0 || referenceFrames + 4 + (long)count * FrameSize > end)
        {
            throw new InvalidDataException($"The batch claims {count} frames, more than its bytes hold.");
        }

        var frames = new BatchFrame[count];
        for (var i = 0; i < count; i++)
        {
            var at = referenceFrames + 4 + i * FrameSize;
            var type = Int(at);
            frames[i] = type switch
            {
                BatchFrame.Attribute => new BatchFrame(type, Str(Int(at + 4)), Str(Int(at + 8)), BitConverter.ToUInt64(span[(at + 12)..])),
                BatchFrame.Element => new BatchFrame(type, Str(Int(at + 8)), null, 0, Int(at + 4)),
                BatchFrame.Text or BatchFrame.Markup => new BatchFrame(type, null, Str(Int(at + 4)), 0),
                _ => new BatchFrame(type, null, null, 0),
            };
        }

        var disposedCount = Int(disposedHandlers);
        var disposed = new ulong[disposedCount];
        for (var i = 0; i < disposedCount; i++)
        {
            disposed[i] = BitConverter.ToUInt64(span[(disposedHandlers + 4 + 8 * i)..]);
        }

        return new RenderBatchData(frames, disposed);
    }

    /// <summary>BinaryWriter.Write(string): a 7-bit encoded length, then UTF-8.</summary>
    private static string ReadString(byte[] data, int at)
    {
        int length = 0, shift = 0;
        byte b;
        do
        {
            b = data[at++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return Encoding.UTF8.GetString(data, at, length);
    }
}
