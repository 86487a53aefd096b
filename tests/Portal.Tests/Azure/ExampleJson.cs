using System.Globalization;
using System.Text.Json;
using Portal.Azure;

namespace Portal.Tests.Azure;

/// <summary>Reading published example files (<c>{"parameters", "responses": {"200": {"body"}}}</c>) and comparing their values with typed ones.</summary>
internal static class ExampleJson
{
    public static IEnumerable<(string File, string Status, JsonElement Body)> Bodies(string folder, string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, file)));
        foreach (var response in document.RootElement.GetProperty("responses").EnumerateObject())
        {
            if (response.Value.TryGetProperty("body", out var body))
            {
                yield return (file, response.Name, body.Clone());
            }
        }
    }

    public static string? Raw(JsonElement element, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return null;
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.Null => null,
            _ => element.GetRawText(),
        };
    }

    public static void Same(JsonElement raw, string path, object? typed)
    {
        var expected = Raw(raw, path);
        var actual = typed switch
        {
            null => null,
            DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => typed.ToString(),
        };
        if (typed is DateTimeOffset date && expected is not null)
        {
            Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), date);
            return;
        }

        Assert.True(expected == actual, $"{path}: example has '{expected}', parsed '{actual}'");
    }

    /// <summary>The fields every ARM resource has, as the portal reads them.</summary>
    public static void Common<T>(JsonElement raw, ArmResource<T> typed)
    {
        Same(raw, "id", typed.Id);
        Same(raw, "name", typed.Name);
        Same(raw, "type", typed.Type);
        Same(raw, "location", typed.Location);
        Same(raw, "kind", typed.Kind);
        Same(raw, "sku.name", typed.Sku?.Name);
        Same(raw, "sku.capacity", typed.Sku?.Capacity);
        Same(raw, "systemData.createdAt", typed.SystemData?.CreatedAt);
    }
}
