using System.Globalization;
using Portal.Playground.FineTuning;

namespace Portal.Web.FineTuning;

/// <summary>One line of a loss chart: a job's training or validation loss by step.</summary>
/// <param name="Name">What the legend and the table call it ("ftjob-1 training loss").</param>
/// <param name="Points">The losses, by step.</param>
/// <param name="Color">Index into the chart's palette (a job's training and validation lines share it).</param>
/// <param name="Dashed">Validation lines are dashed, so they are told apart by more than colour.</param>
public sealed record LossSeries(string Name, IReadOnlyList<(int Step, double Loss)> Points, int Color, bool Dashed)
{
    /// <summary>A job's training (solid) and validation (dashed) losses, each only when it has points.</summary>
    public static IEnumerable<LossSeries> Of(string label, IReadOnlyList<MetricPoint> metrics, int color)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var train = metrics.Where(m => m.TrainLoss is not null).Select(m => (m.Step, m.TrainLoss!.Value)).ToList();
        var valid = metrics.Where(m => (m.ValidLoss ?? m.FullValidLoss) is not null).Select(m => (m.Step, (m.ValidLoss ?? m.FullValidLoss)!.Value)).ToList();
        if (train.Count > 0)
        {
            yield return new($"{label} training loss", train, color, false);
        }

        if (valid.Count > 0)
        {
            yield return new($"{label} validation loss", valid, color, true);
        }
    }
}

/// <summary>
/// Where the lines and ticks of a loss chart go: steps along x from the first to the last, loss along y from 0 (or a
/// little under the lowest) to a little over the highest, with "nice" ticks whose labels never overlap (at most five
/// on y, at most six on x, each at least a label's width apart).
/// </summary>
public sealed class LossChartLayout
{
    public const int Width = 640;
    public const int Height = 280;
    public const int Left = 56;
    public const int Right = 16;
    public const int Top = 12;
    public const int Bottom = 40;

    private LossChartLayout(int minStep, int maxStep, double minLoss, double maxLoss, IReadOnlyList<double> yTicks, IReadOnlyList<int> xTicks)
    {
        MinStep = minStep;
        MaxStep = maxStep;
        MinLoss = minLoss;
        MaxLoss = maxLoss;
        YTicks = yTicks;
        XTicks = xTicks;
    }

    public int MinStep { get; }

    public int MaxStep { get; }

    public double MinLoss { get; }

    public double MaxLoss { get; }

    public IReadOnlyList<double> YTicks { get; }

    public IReadOnlyList<int> XTicks { get; }

    public static LossChartLayout Build(IReadOnlyList<LossSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0)
        {
            return new(0, 1, 0, 1, [0, 0.5, 1], [0, 1]);
        }

        var minStep = points.Min(p => p.Step);
        var maxStep = Math.Max(minStep + 1, points.Max(p => p.Step));
        var high = points.Max(p => p.Loss);
        var low = Math.Min(0, points.Min(p => p.Loss));
        var step = NiceStep((high - low) / 4);
        var top = Math.Ceiling(high / step) * step;
        if (top <= low)
        {
            top = low + step;
        }

        var yTicks = new List<double>();
        for (var v = low; v <= top + (step / 2); v += step)
        {
            yTicks.Add(Math.Round(v, 10));
        }

        var xStep = Math.Max(1, (int)NiceStep((maxStep - minStep) / 5.0));
        var xTicks = new List<int>();
        for (var s = (int)Math.Ceiling(minStep / (double)xStep) * xStep; s <= maxStep; s += xStep)
        {
            xTicks.Add(s);
        }

        return new(minStep, maxStep, low, top, yTicks, xTicks);
    }

    public double XOf(double step) => Left + ((step - MinStep) / (MaxStep - MinStep) * (Width - Left - Right));

    public double YOf(double loss) => Top + ((MaxLoss - loss) / (MaxLoss - MinLoss) * (Height - Top - Bottom));

    /// <summary>The SVG polyline points of a series.</summary>
    public string Polyline(LossSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return string.Join(' ', series.Points.OrderBy(p => p.Step).Select(p => F(XOf(p.Step)) + "," + F(YOf(p.Loss))));
    }

    public static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A loss as the chart and its table print it.</summary>
    public static string Loss(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        if (rough <= 0 || double.IsNaN(rough))
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / power;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
    }
}
