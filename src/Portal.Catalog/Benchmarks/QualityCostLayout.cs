namespace Portal.Catalog.Benchmarks;

/// <summary>A rectangle in chart coordinates (SVG user units).</summary>
public readonly record struct ChartBox(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;

    public bool Overlaps(ChartBox other) => X < other.Right && other.X < Right && Y < other.Bottom && other.Y < Bottom;
}

/// <summary>Where a point of the quality-vs-cost chart is drawn, and where its label goes (none when no free place was found).</summary>
public sealed record PlacedPoint(QualityCostPoint Point, double X, double Y, string Label, ChartBox? LabelBox, bool Leader)
{
    /// <summary>The label's text baseline: the box's left edge and bottom less the descent.</summary>
    public double TextX => LabelBox?.X ?? 0;

    public double TextY => (LabelBox?.Bottom ?? 0) - 3;
}

/// <summary>
/// The quality-vs-cost chart's geometry: log-scale cost on x, index on y, and labels placed greedily (best index first)
/// at the first of several positions around the point that overlaps no other label, no point and stays inside the
/// chart. A label that finds no place is left out; its point keeps its name on hover, focus and in the table under the chart.
/// </summary>
public sealed class QualityCostLayout
{
    public const int Width = 720;
    public const int Height = 420;
    public const int Left = 48;
    public const int Right = 16;
    public const int Top = 16;
    public const int Bottom = 40;

    /// <summary>Label font 11px: the line box, a little taller than the glyphs.</summary>
    public const double LineHeight = 14;
    public const double PointRadius = 5;
    public const int MaxLabelLength = 26;

    private QualityCostLayout(double minCost, double maxCost, double minIndex, double maxIndex, IReadOnlyList<PlacedPoint> placed)
    {
        MinCost = minCost;
        MaxCost = maxCost;
        MinIndex = minIndex;
        MaxIndex = maxIndex;
        Points = placed;
    }

    public double MinCost { get; }

    public double MaxCost { get; }

    public double MinIndex { get; }

    public double MaxIndex { get; }

    public IReadOnlyList<PlacedPoint> Points { get; }

    public static string ShortLabel(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length <= MaxLabelLength ? name : name[..(MaxLabelLength - 1)] + "…";
    }

    /// <summary>
    /// A generous estimate of the label's width at 11px in a sans-serif font (measured against DejaVu Sans and Segoe UI,
    /// rounded up per kind of character) so two labels placed apart are apart in the browser too.
    /// </summary>
    public static double TextWidth(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        double width = 0;
        foreach (var c in text)
        {
            width += c switch
            {
                'M' or 'W' or 'm' or 'w' or '@' => 10.5,
                ' ' => 3.8,
                'i' or 'l' or 'j' or 'I' or '.' or ',' or '\'' or '|' or '!' or ':' => 3.6,
                't' or 'f' or 'r' or '(' or ')' or '-' or '[' or ']' => 4.9,
                >= 'A' and <= 'Z' => 8.4,
                >= '0' and <= '9' => 7.2,
                >= 'a' and <= 'z' => 7.0,
                _ => 8.4,
            };
        }

        return width;
    }

    public static ChartBox PointBox(double x, double y) => new(x - PointRadius, y - PointRadius, PointRadius * 2, PointRadius * 2);

    public static QualityCostLayout Build(IReadOnlyList<QualityCostPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return new(0.1, 10, 0, 100, []);
        }

        var minCost = points.Min(p => Math.Max(0.001, p.Price.UsdPerMillion)) / 1.5;
        var maxCost = points.Max(p => Math.Max(0.001, p.Price.UsdPerMillion)) * 1.5;
        var minIndex = Math.Max(0, Math.Floor((points.Min(p => p.Index) - 5) / 10) * 10);
        var maxIndex = Math.Min(100, Math.Ceiling((points.Max(p => p.Index) + 5) / 10) * 10);

        double X(double cost)
        {
            var lo = Math.Log10(minCost);
            var hi = Math.Log10(maxCost);
            var t = hi > lo ? (Math.Log10(Math.Max(0.001, cost)) - lo) / (hi - lo) : 0.5;
            return Left + (t * (Width - Left - Right));
        }

        double Y(double index)
        {
            var t = maxIndex > minIndex ? (index - minIndex) / (maxIndex - minIndex) : 0.5;
            return Height - Bottom - (t * (Height - Top - Bottom));
        }

        var located = points.Select(p => (Point: p, X: X(p.Price.UsdPerMillion), Y: Y(p.Index))).ToList();
        var taken = located.Select(p => PointBox(p.X, p.Y)).ToList();
        var area = new ChartBox(Left + 1, Top - 8, Width - Left - Right - 1, Height - Top - Bottom + 8);
        var labels = new Dictionary<QualityCostPoint, (ChartBox Box, bool Leader)>();

        // Best first, so the models people look for most keep their labels when space runs out.
        foreach (var p in located.OrderByDescending(p => p.Point.Index).ThenBy(p => p.Point.Price.UsdPerMillion))
        {
            var text = ShortLabel(p.Point.Model.DisplayName);
            var w = TextWidth(text) + 2;
            foreach (var (box, leader) in Candidates(p.X, p.Y, w))
            {
                if (box.X >= area.X && box.Right <= area.Right && box.Y >= area.Y && box.Bottom <= area.Bottom && !taken.Any(t => t.Overlaps(box)))
                {
                    labels[p.Point] = (box, leader);
                    taken.Add(box);
                    break;
                }
            }
        }

        return new(minCost, maxCost, minIndex, maxIndex, [.. located.Select(p => labels.TryGetValue(p.Point, out var l)
            ? new PlacedPoint(p.Point, p.X, p.Y, ShortLabel(p.Point.Model.DisplayName), l.Box, l.Leader)
            : new PlacedPoint(p.Point, p.X, p.Y, ShortLabel(p.Point.Model.DisplayName), null, false))]);
    }

    /// <summary>Right, left, above and below the point first; then further away, drawn with a leader line.</summary>
    private static IEnumerable<(ChartBox Box, bool Leader)> Candidates(double x, double y, double w)
    {
        var h = LineHeight;
        yield return (new(x + 8, y - (h / 2), w, h), false);
        yield return (new(x - 8 - w, y - (h / 2), w, h), false);
        yield return (new(x - (w / 2), y - 8 - h, w, h), false);
        yield return (new(x - (w / 2), y + 8, w, h), false);
        foreach (var dy in new[] { 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6 })
        {
            yield return (new(x + 14, y - (h / 2) + (dy * (h + 1)), w, h), true);
            yield return (new(x - 14 - w, y - (h / 2) + (dy * (h + 1)), w, h), true);
        }
    }

    public double XOf(double cost)
    {
        var lo = Math.Log10(MinCost);
        var hi = Math.Log10(MaxCost);
        var t = hi > lo ? (Math.Log10(Math.Max(0.001, cost)) - lo) / (hi - lo) : 0.5;
        return Left + (t * (Width - Left - Right));
    }

    public double YOf(double index)
    {
        var t = MaxIndex > MinIndex ? (index - MinIndex) / (MaxIndex - MinIndex) : 0.5;
        return Height - Bottom - (t * (Height - Top - Bottom));
    }

    public IEnumerable<double> XTicks()
    {
        foreach (var decade in new[] { 0.001, 0.01, 0.1, 1, 10, 100 })
        {
            foreach (var step in new[] { 1.0, 3.0 })
            {
                var tick = decade * step;
                if (tick >= MinCost && tick <= MaxCost)
                {
                    yield return tick;
                }
            }
        }
    }

    public IEnumerable<double> YTicks()
    {
        for (var tick = MinIndex; tick <= MaxIndex; tick += 10)
        {
            yield return tick;
        }
    }
}
