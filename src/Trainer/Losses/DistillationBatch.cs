using static TorchSharp.torch;

namespace Rerank.Trainer.Losses;

/// <summary>
/// One single-task batch's student outputs and the teacher's outputs for the same pairs (D2LLM.md section 3): bs queries,
/// each with one positive and K hard negatives, and the in-batch cross pairs (query i with the positive of query j).
/// </summary>
/// <remarks>
/// Student tensors carry the graph (floating point, any dtype, all the same); teacher tensors are constants of the same dtype
/// and device. Teacher values are yes-probabilities s^T = softmax([z_yes, z_no])[yes] (see
/// <see cref="DistillationLosses.YesProbability"/>), never raw logits. bs must be at least 2 and K at least 1.
/// </remarks>
/// <param name="StudentPositive">z^S of (query i, its positive): <c>[bs]</c>.</param>
/// <param name="StudentHard">z^S of (query i, its hard negative k): <c>[bs, K]</c>.</param>
/// <param name="StudentInBatch">
/// z^S of (query i, positive of query j): <c>[bs, bs]</c>; the diagonal is the positive pair itself (the same value as
/// <paramref name="StudentPositive"/>, which the InfoNCE term reads from here), the off-diagonal entries of row i are
/// query i's bs-1 easy negatives.
/// </param>
/// <param name="TeacherPositive">p of (query i, its positive): <c>[bs]</c>.</param>
/// <param name="TeacherHard">p of (query i, hard negative k): <c>[bs, K]</c>.</param>
/// <param name="TeacherInBatch">p of (query i, positive of query j): <c>[bs, bs]</c>; only the off-diagonal entries are read (RI_HI).</param>
/// <param name="StudentFeatures">
/// y^S of the 1+K pairs of query i (positive first, then the hard negatives in <paramref name="StudentHard"/>'s order):
/// <c>[bs, 1+K, dS]</c>; null when FI is off.
/// </param>
/// <param name="TeacherFeatures">y^T of the same pairs: <c>[bs, 1+K, dT]</c> (dT need not equal dS); null when FI is off.</param>
internal sealed record DistillationBatch(
    Tensor StudentPositive,
    Tensor StudentHard,
    Tensor StudentInBatch,
    Tensor TeacherPositive,
    Tensor TeacherHard,
    Tensor TeacherInBatch,
    Tensor? StudentFeatures = null,
    Tensor? TeacherFeatures = null);
