using Rerank.Trainer.Backbones;
using static TorchSharp.torch;

namespace Rerank.Trainer.Teacher;

/// <summary>
/// Runs the teacher over prompts (D2LLM.md section 1): left-padded batches, the final hidden state at the last position
/// (after the final norm) is y^T, and only the two answer rows of the LM head are applied: z = W[yes, no] · y^T,
/// <see cref="TeacherOutput.Logit"/> = z_yes - z_no. The full vocabulary is never computed.
/// </summary>
/// <remarks>
/// Prompts are scored in batches of <see cref="BatchSize"/> after a stable sort by length (fewer pads per batch), and the
/// results come back in input order; a prompt's result does not depend on its batch beyond float rounding. The two-row
/// product runs in float32 (y^T and the rows widened from the model's dtype), and y^T is returned as float32.
/// Not thread-safe.
/// </remarks>
internal sealed class TeacherScorer
{
    private readonly DecoderModel _model;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    public TeacherScorer(DecoderModel model, int batchSize, int padId)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _model = model;
        BatchSize = batchSize;
        PadId = padId;
    }

    public int BatchSize { get; }

    public int PadId { get; }

    /// <summary>The device the teacher runs on: CUDA when TorchSharp has it, else the CPU.</summary>
    public static Device DefaultDevice() => cuda.is_available() ? CUDA : CPU;

    /// <summary>Scores <paramref name="prompts"/> (each at least one id) with answer ids <paramref name="yes"/> and <paramref name="no"/>; results in input order.</summary>
    /// <param name="prompts">Token ids, each at least one.</param>
    /// <param name="yes">The yes answer's token id.</param>
    /// <param name="no">The no answer's token id.</param>
    /// <param name="features">Whether to return y^T (else <see cref="TeacherOutput.Features"/> is null).</param>
    public TeacherOutput[] Score(IReadOnlyList<int[]> prompts, int yes, int no, bool features)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var results = new TeacherOutput[prompts.Count];
        var order = Enumerable.Range(0, prompts.Count).OrderBy(i => prompts[i].Length).ThenBy(i => i).ToArray();
        _model.eval();
        using var noGrad = no_grad();
        var device = _model.LmHeadWeight.device;
        using var rowIds = tensor(new long[] { yes, no }, ScalarType.Int64, device);
        using var rows = _model.LmHeadWeight.index_select(0, rowIds).to(ScalarType.Float32);
        var d = (int)rows.shape[1];
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            var batch = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
            var seq = batch.Max(i => prompts[i].Length);
            var ids = new long[batch.Length * seq];
            var mask = new long[ids.Length];
            Array.Fill(ids, PadId);
            for (var b = 0; b < batch.Length; b++)
            {
                var prompt = prompts[batch[b]];
                if (prompt.Length == 0)
                {
                    throw new ArgumentException($"Prompt {batch[b]} has no tokens.", nameof(prompts));
                }

                var offset = (b * seq) + seq - prompt.Length;
                for (var t = 0; t < prompt.Length; t++)
                {
                    ids[offset + t] = prompt[t];
                }

                Array.Fill(mask, 1L, offset, prompt.Length);
            }

            using var scope = NewDisposeScope();
            var hidden = _model.ForwardLeftPadded(tensor(ids, [batch.Length, seq], device: device), tensor(mask, [batch.Length, seq], device: device));
            var last = hidden.select(1, seq - 1).to(ScalarType.Float32);
            var z = last.matmul(rows.t()).cpu();
            var logits = z.data<float>().ToArray();
            var y = features ? last.cpu().data<float>().ToArray() : null;
            for (var b = 0; b < batch.Length; b++)
            {
                results[batch[b]] = new TeacherOutput(logits[2 * b] - logits[(2 * b) + 1], y?.AsSpan(b * d, d).ToArray());
            }
        }

        return results;
    }
}
