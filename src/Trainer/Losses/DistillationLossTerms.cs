using TorchSharp;
using static TorchSharp.torch;

namespace Rerank.Trainer.Losses;

/// <summary>
/// The result of <see cref="DistillationLosses.Combined"/>: the weighted total (the tensor to back-propagate) and every
/// term unweighted, null where switched off. All are 0-d tensors owned by the caller's dispose scope.
/// </summary>
/// <param name="Total">sum over the terms that are on of weight * term.</param>
/// <param name="InBatch">L_inbatch, or null.</param>
/// <param name="Ci">L_CI, or null.</param>
/// <param name="RiPh">L_PH, or null.</param>
/// <param name="RiHi">L_HI, or null.</param>
/// <param name="Fi">L_FI, or null.</param>
internal sealed record DistillationLossTerms(Tensor Total, Tensor? InBatch, Tensor? Ci, Tensor? RiPh, Tensor? RiHi, Tensor? Fi)
{
    /// <summary>Each term that is on, by its log name (<c>inbatch</c>, <c>ci</c>, <c>ri_ph</c>, <c>ri_hi</c>, <c>fi</c>, then <c>total</c>), as doubles.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> ToLogValues()
    {
        var values = new List<KeyValuePair<string, double>>(6);
        void Add(string name, Tensor? term)
        {
            if (term is not null)
            {
                values.Add(new(name, term.ToDouble()));
            }
        }

        Add("inbatch", InBatch);
        Add("ci", Ci);
        Add("ri_ph", RiPh);
        Add("ri_hi", RiHi);
        Add("fi", Fi);
        Add("total", Total);
        return values;
    }
}
