using System.Globalization;
using Portal.Playground.FineTuning;
using Portal.Web.FineTuning;

namespace Portal.Web.Components.Pages.FineTuning;

/// <summary>The new-job form as typed (text, so that nothing typed is lost), read into a <see cref="FineTuningJobInput"/>.</summary>
public sealed class NewFineTuningJobForm
{
    public string? Connection { get; set; }

    public string? BaseModel { get; set; }

    public string TrainingFile { get; set; } = "";

    public string ValidationFile { get; set; } = "";

    public FineTuningMethod Method { get; set; } = FineTuningMethod.Supervised;

    public string Epochs { get; set; } = "";

    public string BatchSize { get; set; } = "";

    public string LearningRateMultiplier { get; set; } = "";

    public string Beta { get; set; } = "";

    public string Seed { get; set; } = "";

    public string Suffix { get; set; } = "";

    /// <summary>The input, and the fields whose text is not a number (empty means automatic).</summary>
    public (FineTuningJobInput Input, Dictionary<string, string> Errors) Read()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var input = new FineTuningJobInput
        {
            Connection = Connection,
            BaseModel = BaseModel,
            TrainingFile = TrainingFile.Trim(),
            ValidationFile = ValidationFile.Trim(),
            Method = Method,
            Epochs = (int?)Whole(Epochs, FineTuningService.EpochsField, "Epochs", errors),
            BatchSize = (int?)Whole(BatchSize, FineTuningService.BatchSizeField, "The batch size", errors),
            LearningRateMultiplier = Number(LearningRateMultiplier, FineTuningService.LearningRateField, "The learning-rate multiplier", errors),
            Beta = Method == FineTuningMethod.Dpo ? Number(Beta, FineTuningService.BetaField, "Beta", errors) : null,
            Seed = Whole(Seed, FineTuningService.SeedField, "The seed", errors, automatic: "empty for a random one"),
            Suffix = Suffix.Trim(),
        };
        return (input, errors);
    }

    private static long? Whole(string text, string field, string what, Dictionary<string, string> errors, string automatic = "empty for automatic")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            // Epochs and batch size are small; a huge number is out of range rather than wrapped around.
            return field == FineTuningService.SeedField ? value : Math.Clamp(value, int.MinValue, int.MaxValue);
        }

        errors[field] = $"{what} must be a whole number ({automatic}); '{text.Trim()}' is not.";
        return null;
    }

    private static double? Number(string text, string field, string what, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        errors[field] = $"{what} must be a number such as 0.5 (empty for automatic); '{text.Trim()}' is not.";
        return null;
    }
}
