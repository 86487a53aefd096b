using System.Globalization;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;

namespace Portal.Web.FineTuning;

/// <summary>An estimated training cost: tokens × epochs × the price, with the sentence that says where the price is from.</summary>
public sealed record TrainingCostEstimate(decimal Usd, double PricePerMillion, long TrainingTokens, int Epochs, string Source, string Note);

/// <summary>
/// The estimated cost of fine-tuning a catalog model: training tokens × epochs × the training price (USD per 1M training
/// tokens) of the model's first price row that has one (<c>training_price</c> in the facts file). Every price row is an
/// unofficial community price, and the estimate says so with its source. No price, no estimate.
/// </summary>
public sealed class FineTuningCost(ICatalogService catalog, BenchmarkData benchmarks)
{
    /// <summary>The estimate, or null when the catalog has no training price for the model (see <see cref="NoPrice"/>).</summary>
    /// <param name="catalogModelId">A catalog model id (or one of its aliases).</param>
    /// <param name="trainingTokens">Estimated tokens in one pass over the training file.</param>
    /// <param name="epochs">Passes over the file (at least 1).</param>
    public TrainingCostEstimate? Estimate(string catalogModelId, long trainingTokens, int epochs)
    {
        ArgumentNullException.ThrowIfNull(catalogModelId);
        var model = Model(catalogModelId);
        var id = model?.Id ?? catalogModelId;
        if (benchmarks.PricesFor(id).FirstOrDefault(p => p.TrainingPerMillion is not null) is not { } price)
        {
            return null;
        }

        var passes = Math.Max(1, epochs);
        var tokens = Math.Max(0, trainingTokens);
        var perMillion = price.TrainingPerMillion!.Value;
        var usd = Math.Round((decimal)tokens * passes * (decimal)perMillion / 1_000_000m, 4);
        var note = string.Create(CultureInfo.InvariantCulture,
            $"≈ ${usd:0.####} for {tokens:N0} training tokens × {passes} {(passes == 1 ? "epoch" : "epochs")} at ${perMillion:0.####} per 1M training tokens: unofficial community price for {model?.DisplayName ?? id} from {price.Source}. Tokens are {TrainingTokens.Label}.");
        return new TrainingCostEstimate(usd, perMillion, tokens, passes, price.Source, note);
    }

    /// <summary>Why there is no estimate for the model.</summary>
    public string NoPrice(string catalogModelId)
    {
        ArgumentNullException.ThrowIfNull(catalogModelId);
        return $"The catalog has no training price for {Model(catalogModelId)?.DisplayName ?? catalogModelId}, so no cost is estimated.";
    }

    /// <summary>
    /// Sets a job's <see cref="Portal.Data.FineTuning.FineTuningJobRow.EstimatedCostUsd"/> and its note from what is known:
    /// the catalog model, the training file's tokens (when it was validated here) and the epochs (once a number, asked or
    /// reported by the provider). An estimate once made is kept.
    /// </summary>
    public void Price(Portal.Data.FineTuning.FineTuningJobRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.EstimatedCostUsd is not null)
        {
            return;
        }

        var epochs = FineTuningRowJson.ReadHyperparameters(row.HyperparametersJson).Epochs.Value;
        if (row.CatalogModelId is not { Length: > 0 } model)
        {
            row.CostNote = "The base model is not in the catalog, so no cost is estimated.";
        }
        else if (row.TrainingTokens is not { } tokens)
        {
            row.CostNote = "The training file was not validated in the portal, so its tokens and the cost are unknown.";
        }
        else if (Estimate(model, tokens, 1) is null)
        {
            row.CostNote = NoPrice(model);
        }
        else if (epochs is not { } passes)
        {
            row.CostNote = "Epochs are automatic: the cost is estimated once the provider reports how many it runs.";
        }
        else
        {
            var estimate = Estimate(model, tokens, (int)passes)!;
            row.EstimatedCostUsd = estimate.Usd;
            row.CostNote = estimate.Note;
        }
    }

    private CatalogModel? Model(string id) =>
        catalog.Current.Find(id) ?? catalog.Current.Models.FirstOrDefault(m => m.Aliases.Contains(id, StringComparer.OrdinalIgnoreCase));
}
