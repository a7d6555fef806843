using static TorchSharp.torch;

namespace Rerank.Trainer.Losses;

/// <summary>
/// The D2LLM distillation losses (D2LLM.md section 3) as they are in the official code's <c>train.py</c>, all temperatures 1.
/// Each term returns a 0-d tensor of its inputs' dtype, unweighted; <see cref="Combined"/> weighs and sums them.
/// </summary>
/// <remarks>
/// Shapes: bs queries, K hard negatives each; see <see cref="DistillationBatch"/>. Teacher inputs are yes-probabilities and
/// are never differentiated. The code's softmax adds 1e-20 to its denominator before the log; we use log_softmax, which
/// differs from it by at most about 1e-20 relative.
/// </remarks>
internal static class DistillationLosses
{
    /// <summary>The teacher's yes-probability softmax([z_yes, z_no])[yes] = sigmoid(z_yes - z_no).</summary>
    /// <param name="yesNoLogits">The last-position logits of the two answer tokens: <c>[..., 2]</c>, yes first.</param>
    /// <returns><c>[...]</c>.</returns>
    public static Tensor YesProbability(Tensor yesNoLogits)
    {
        ArgumentNullException.ThrowIfNull(yesNoLogits);
        using var scope = NewDisposeScope();
        return nn.functional.softmax(yesNoLogits, -1).select(-1, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// In-batch InfoNCE (code only): sum_i -log softmax_j(Z_in[i, :])[i] / bs^2.
    /// </summary>
    /// <param name="studentInBatch">Z_in: <c>[bs, bs]</c>, row i = query i against every positive of the batch.</param>
    public static Tensor InBatchInfoNce(Tensor studentInBatch)
    {
        ArgumentNullException.ThrowIfNull(studentInBatch);
        var bs = CheckSquare(studentInBatch, nameof(studentInBatch));
        using var scope = NewDisposeScope();
        var logProbabilities = nn.functional.log_softmax(studentInBatch, 1);
        return (-logProbabilities.diagonal().sum() / (double)(bs * bs)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Contrastive imitation: with Z_h[i] = [z_pos, z_hard_1..K] and w_i = [p_pos, 1 - p_hard_1..K],
    /// L_CI = sum_i -log softmax(w_i * Z_h[i])[0] / (bs * K). In <see cref="CiMode.PlainContrastive"/> every w is 1.
    /// </summary>
    /// <param name="studentPositive"><c>[bs]</c>.</param>
    /// <param name="studentHard"><c>[bs, K]</c>.</param>
    /// <param name="teacherPositive"><c>[bs]</c> yes-probabilities (not read in plain mode).</param>
    /// <param name="teacherHard"><c>[bs, K]</c> yes-probabilities (not read in plain mode).</param>
    /// <param name="mode">Teacher-weighted (D2LLM) or plain contrastive (the "-CI+CL" ablation).</param>
    /// <param name="studentInBatch">
    /// The paper's variant (<see cref="DistillationLossOptions.CiWithInBatchNegatives"/>): Z_in <c>[bs, bs]</c>, whose
    /// off-diagonal entries of row i join query i's negatives (weight 1 - p); the sum is then divided by bs * (K + bs - 1).
    /// Null (the code) for the positive and hard negatives only.
    /// </param>
    /// <param name="teacherInBatch">p of the same in-batch pairs <c>[bs, bs]</c>; required with <paramref name="studentInBatch"/>.</param>
    public static Tensor ContrastiveImitation(Tensor studentPositive, Tensor studentHard, Tensor teacherPositive, Tensor teacherHard, CiMode mode = CiMode.TeacherWeighted, Tensor? studentInBatch = null, Tensor? teacherInBatch = null)
    {
        var (bs, k) = CheckPositiveHard(studentPositive, studentHard, teacherPositive, teacherHard);
        if ((studentInBatch is null) != (teacherInBatch is null))
        {
            throw new ArgumentException("CI with in-batch negatives needs both the student's and the teacher's in-batch values.", nameof(teacherInBatch));
        }

        using var scope = NewDisposeScope();
        var logits = cat([studentPositive.unsqueeze(1), studentHard], 1);
        var weights = cat([teacherPositive.unsqueeze(1), 1.0 - teacherHard], 1);
        var negatives = k;
        if (studentInBatch is not null)
        {
            CheckShape(studentInBatch, nameof(studentInBatch), bs, bs);
            CheckShape(teacherInBatch!, nameof(teacherInBatch), bs, bs);
            var offDiagonal = eye(bs, dtype: ScalarType.Bool, device: studentInBatch.device).logical_not();
            logits = cat([logits, studentInBatch.masked_select(offDiagonal).reshape(bs, bs - 1)], 1);
            weights = cat([weights, 1.0 - teacherInBatch!.masked_select(offDiagonal).reshape(bs, bs - 1)], 1);
            negatives = k + bs - 1;
        }

        if (mode == CiMode.TeacherWeighted)
        {
            logits = logits * weights.detach();
        }
        else if (mode != CiMode.PlainContrastive)
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "The CI mode must be teacher-weighted or plain contrastive.");
        }

        var logProbabilities = nn.functional.log_softmax(logits, 1);
        return (-logProbabilities.select(1, 0).sum() / (double)(bs * negatives)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Rank imitation, positive vs hard: L_PH = sum_i (1 - r_i) / bs, r_i the Pearson correlation over the 1+K items of
    /// student logits [z_pos, z_hard] against teacher probabilities [p_pos, p_hard]:
    /// r = (sum cx*cy / (n-1)) / (std(x) * std(y) + 1e-8), std unbiased (n-1), n = 1+K.
    /// </summary>
    /// <param name="studentPositive"><c>[bs]</c>.</param>
    /// <param name="studentHard"><c>[bs, K]</c>.</param>
    /// <param name="teacherPositive"><c>[bs]</c>.</param>
    /// <param name="teacherHard"><c>[bs, K]</c>.</param>
    public static Tensor RankImitationPositiveHard(Tensor studentPositive, Tensor studentHard, Tensor teacherPositive, Tensor teacherHard)
    {
        var (bs, k) = CheckPositiveHard(studentPositive, studentHard, teacherPositive, teacherHard);
        using var scope = NewDisposeScope();
        var x = cat([studentPositive.unsqueeze(1), studentHard], 1);
        var y = cat([teacherPositive.unsqueeze(1), teacherHard], 1).detach();
        var centeredX = x - x.mean([1], keepdim: true);
        var centeredY = y - y.mean([1], keepdim: true);
        var covariance = (centeredX * centeredY).sum(1) / (double)k;
        var correlation = covariance / ((x.std(1, unbiased: true) * y.std(1, unbiased: true)) + 1e-8);
        return ((1.0 - correlation).sum() / (double)bs).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Rank imitation, hard vs easy (in-batch) negatives: with z_ij the student logit of query i's hard negative j and z_ik
    /// that of its easy negative k (the positive of query k != i),
    /// L_HI = sum_{i,j,k} lambda_ijk * -log(sigmoid(z_ij - z_ik) + 1e-8) / (bs * K * (bs-1)); lambda per <see cref="RiHiLambda"/>.
    /// </summary>
    /// <param name="studentHard"><c>[bs, K]</c>.</param>
    /// <param name="studentInBatch"><c>[bs, bs]</c>; the off-diagonal entries of row i are query i's easy negatives, in column order.</param>
    /// <param name="teacherHard"><c>[bs, K]</c>.</param>
    /// <param name="teacherInBatch"><c>[bs, bs]</c>; the diagonal is not read.</param>
    /// <param name="lambda">The code's clipped probability difference (default) or the paper's rank weight.</param>
    /// <param name="scale">The code's <c>scale_param</c>: the clipped difference is divided by it (positive; default 1).</param>
    public static Tensor RankImitationHardEasy(Tensor studentHard, Tensor studentInBatch, Tensor teacherHard, Tensor teacherInBatch, RiHiLambda lambda = RiHiLambda.ClippedProbabilityDifference, double scale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(studentHard);
        ArgumentNullException.ThrowIfNull(teacherHard);
        var bs = CheckSquare(studentInBatch, nameof(studentInBatch));
        CheckShape(teacherInBatch, nameof(teacherInBatch), bs, bs);
        var k = CheckMatrixRows(studentHard, nameof(studentHard), bs);
        CheckShape(teacherHard, nameof(teacherHard), bs, k);
        if (!(scale > 0) || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The RI_HI scale must be a positive finite number.");
        }

        using var scope = NewDisposeScope();
        var offDiagonal = eye(bs, dtype: ScalarType.Bool, device: studentInBatch.device).logical_not();
        var studentEasy = studentInBatch.masked_select(offDiagonal).reshape(bs, bs - 1);
        var teacherEasy = teacherInBatch.detach().masked_select(offDiagonal).reshape(bs, bs - 1);

        // [bs, K, bs-1]: hard j against easy k.
        var difference = studentHard.unsqueeze(2) - studentEasy.unsqueeze(1);
        var pairLoss = -(nn.functional.sigmoid(difference) + 1e-8).log();
        var weights = lambda switch
        {
            RiHiLambda.ClippedProbabilityDifference => (teacherHard.detach().unsqueeze(2) - teacherEasy.unsqueeze(1)).clamp_min(0.0) / scale,
            RiHiLambda.PaperRank => RankWeights(teacherHard.detach(), teacherEasy),
            _ => throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "The RI_HI lambda must be the clipped probability difference or the paper's rank weight."),
        };
        return ((weights * pairLoss).sum() / (double)(bs * k * (bs - 1))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Feature imitation: for query i, C^T_i and C^S_i are the (1+K)x(1+K) cosine matrices of the teacher and student
    /// features of its 1+K pairs (each row divided by its L2 norm, no epsilon, as the code does);
    /// L_FI = sum_i ||C^T_i - C^S_i||_F^2 / (1+K)^2 (summed over the batch, not divided by bs).
    /// </summary>
    /// <param name="studentFeatures">y^S: <c>[bs, 1+K, dS]</c>.</param>
    /// <param name="teacherFeatures">y^T: <c>[bs, 1+K, dT]</c>.</param>
    public static Tensor FeatureImitation(Tensor studentFeatures, Tensor teacherFeatures)
    {
        ArgumentNullException.ThrowIfNull(studentFeatures);
        ArgumentNullException.ThrowIfNull(teacherFeatures);
        if (studentFeatures.dim() != 3 || teacherFeatures.dim() != 3 || studentFeatures.shape[0] != teacherFeatures.shape[0] || studentFeatures.shape[1] != teacherFeatures.shape[1])
        {
            throw new ArgumentException(
                $"FI needs student features [bs, 1+K, dS] and teacher features [bs, 1+K, dT] of the same bs and 1+K; got [{string.Join(", ", studentFeatures.shape)}] and [{string.Join(", ", teacherFeatures.shape)}].",
                nameof(studentFeatures));
        }

        var n = studentFeatures.shape[1];
        using var scope = NewDisposeScope();
        var difference = CosineMatrices(teacherFeatures.detach()) - CosineMatrices(studentFeatures);
        return (difference.square().sum() / (double)(n * n)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every term that <paramref name="options"/> switches on, and their weighted sum:
    /// L = w_in L_inbatch + w_CI L_CI + w_PH L_PH + w_HI L_HI + w_FI L_FI (defaults 1, 1, 1, 0.01, 0.001).
    /// </summary>
    /// <exception cref="ArgumentException">A term is on but its inputs are missing or misshapen, or every term is off.</exception>
    public static DistillationLossTerms Combined(DistillationBatch batch, DistillationLossOptions options)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.InBatchEnabled || options.CiEnabled || options.RiPhEnabled || options.RiHiEnabled || options.FiEnabled))
        {
            throw new ArgumentException("Every distillation loss term is switched off; switch at least one on.", nameof(options));
        }

        if (options.FiEnabled && (batch.StudentFeatures is null || batch.TeacherFeatures is null))
        {
            throw new ArgumentException("FI (feature imitation) is switched on but the batch has no student or teacher features; switch FI off or supply both.", nameof(batch));
        }

        using var scope = NewDisposeScope();
        var inBatch = options.InBatchEnabled ? InBatchInfoNce(batch.StudentInBatch) : null;
        var ci = !options.CiEnabled ? null : options.CiWithInBatchNegatives
            ? ContrastiveImitation(batch.StudentPositive, batch.StudentHard, batch.TeacherPositive, batch.TeacherHard, options.CiMode, batch.StudentInBatch, batch.TeacherInBatch)
            : ContrastiveImitation(batch.StudentPositive, batch.StudentHard, batch.TeacherPositive, batch.TeacherHard, options.CiMode);
        var riPh = options.RiPhEnabled ? RankImitationPositiveHard(batch.StudentPositive, batch.StudentHard, batch.TeacherPositive, batch.TeacherHard) : null;
        var riHi = options.RiHiEnabled ? RankImitationHardEasy(batch.StudentHard, batch.StudentInBatch, batch.TeacherHard, batch.TeacherInBatch, options.RiHiLambda, options.RiHiScale) : null;
        var fi = options.FiEnabled ? FeatureImitation(batch.StudentFeatures!, batch.TeacherFeatures!) : null;

        Tensor? total = null;
        void Add(Tensor? term, double weight)
        {
            if (term is not null)
            {
                var weighted = term * weight;
                total = total is null ? weighted : total + weighted;
            }
        }

        Add(inBatch, options.InBatchWeight);
        Add(ci, options.CiWeight);
        Add(riPh, options.RiPhWeight);
        Add(riHi, options.RiHiWeight);
        Add(fi, options.FiWeight);
        return new DistillationLossTerms(
            total!.MoveToOuterDisposeScope(),
            inBatch?.MoveToOuterDisposeScope(),
            ci?.MoveToOuterDisposeScope(),
            riPh?.MoveToOuterDisposeScope(),
            riHi?.MoveToOuterDisposeScope(),
            fi?.MoveToOuterDisposeScope());
    }

    /// <summary>[bs, n, d] -> [bs, n, n] cosine matrices (rows divided by their norms).</summary>
    private static Tensor CosineMatrices(Tensor features)
    {
        var unit = features / features.norm(-1, keepdim: true);
        return unit.matmul(unit.transpose(1, 2));
    }

    /// <summary>The paper's rank weight max(1/r_hard - 1/r_easy, 0): <c>[bs, K, bs-1]</c>.</summary>
    private static Tensor RankWeights(Tensor teacherHard, Tensor teacherEasy)
    {
        var k = teacherHard.shape[1];
        var all = cat([teacherHard, teacherEasy], 1);
        var m = all.shape[1];

        // rank_a = 1 + #{c : p_c > p_a} + #{c < a : p_c == p_a}.
        var candidate = all.unsqueeze(1);
        var item = all.unsqueeze(2);
        var earlier = ones(m, m, dtype: ScalarType.Bool, device: all.device).tril(-1);
        var ahead = candidate.gt(item).logical_or(candidate.eq(item).logical_and(earlier));
        var reciprocal = 1.0 / (ahead.sum(2, type: all.dtype) + 1.0);
        var hard = reciprocal.narrow(1, 0, k);
        var easy = reciprocal.narrow(1, k, m - k);
        return (hard.unsqueeze(2) - easy.unsqueeze(1)).clamp_min(0.0);
    }

    private static (long Bs, long K) CheckPositiveHard(Tensor studentPositive, Tensor studentHard, Tensor teacherPositive, Tensor teacherHard)
    {
        ArgumentNullException.ThrowIfNull(studentPositive);
        ArgumentNullException.ThrowIfNull(teacherPositive);
        if (studentPositive.dim() != 1)
        {
            throw new ArgumentException($"studentPositive must be [bs]; got [{string.Join(", ", studentPositive.shape)}].", nameof(studentPositive));
        }

        var bs = studentPositive.shape[0];
        CheckShape(teacherPositive, nameof(teacherPositive), bs);
        var k = CheckMatrixRows(studentHard, nameof(studentHard), bs);
        CheckShape(teacherHard, nameof(teacherHard), bs, k);
        return (bs, k);
    }

    private static long CheckSquare(Tensor tensor, string name)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (tensor.dim() != 2 || tensor.shape[0] != tensor.shape[1] || tensor.shape[0] < 2)
        {
            throw new ArgumentException($"{name} must be [bs, bs] with bs >= 2; got [{string.Join(", ", tensor.shape)}].", name);
        }

        return tensor.shape[0];
    }

    private static long CheckMatrixRows(Tensor tensor, string name, long rows)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (tensor.dim() != 2 || tensor.shape[0] != rows || tensor.shape[1] < 1)
        {
            throw new ArgumentException($"{name} must be [bs, K] with bs = {rows} and K >= 1; got [{string.Join(", ", tensor.shape)}].", name);
        }

        return tensor.shape[1];
    }

    private static void CheckShape(Tensor tensor, string name, params long[] expected)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (!tensor.shape.SequenceEqual(expected))
        {
            throw new ArgumentException($"{name} must be [{string.Join(", ", expected)}]; got [{string.Join(", ", tensor.shape)}].", name);
        }
    }
}
