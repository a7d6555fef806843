using Rerank.Model.Tokenization;
using Rerank.Trainer.Backbones;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Native;
using Rerank.Trainer.Tokenization;
using static TorchSharp.torch;

namespace Rerank.Trainer.Bench;

/// <summary>
/// A teacher for <c>bench runtime</c>: the checkpoint cross-encoding each (query, passage) prompt in batches and reading
/// the yes/no logits at the last real position. Owns the model and the tokenizer's staging folder. Not thread-safe.
/// </summary>
/// <remarks>
/// PORT NOTE: a stand-in for the pipeline's <c>TeacherScorer</c> (branch wip-teacher), which was not on this branch when
/// the benchmark was written. It does the same work per pair (one forward over the whole prompt, the final hidden state
/// at the answer cue, the LM head), with two differences that do not change the cost: right padding with the position
/// gathered per row (TeacherScorer pads on the left), and the full vocabulary row computed (TeacherScorer applies only the
/// yes and no rows). Prompt: D2LLM's asymmetric layout in English, query cut to 50 characters and passage to 320
/// (D2LLM.md section 1).
/// </remarks>
internal sealed class DecoderWindowScorer : IWindowScorer
{
    private const int QueryChars = 50;
    private const int PassageChars = 320;

    private readonly DecoderModel _model;
    private readonly TextTokenizer _tokenizer;
    private readonly string _staging;
    private readonly int _yes;
    private readonly int _no;
    private readonly int _batchSize;
    private readonly Device _device;

    private DecoderWindowScorer(DecoderModel model, TextTokenizer tokenizer, string staging, int batchSize, Device device, string description)
    {
        _model = model;
        _tokenizer = tokenizer;
        _staging = staging;
        _batchSize = batchSize;
        _device = device;
        _yes = FirstId(tokenizer, "yes");
        _no = FirstId(tokenizer, "no");
        Description = description;
    }

    public string Description { get; }

    /// <summary>Loads the checkpoint in <paramref name="directory"/> in float32 on CUDA when TorchSharp has it, else on the CPU.</summary>
    /// <exception cref="CheckpointException">The checkpoint or its tokenizer cannot be loaded; every problem is listed.</exception>
    public static DecoderWindowScorer Load(string directory, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        TorchNative.Initialize();
        var device = cuda.is_available() ? CUDA : CPU;
        var staging = Path.Combine(Path.GetTempPath(), "rerank-bench-tokenizer-" + Guid.NewGuid().ToString("N"));
        try
        {
            HfTokenizer tokenizer;
            using (var checkpoint = HfCheckpoint.Open(directory))
            {
                tokenizer = HfTokenizerLoader.Load(checkpoint.Directory, checkpoint.Config, staging);
            }

            var model = DecoderModel.Load(directory, new DecoderModelOptions { Device = device });
            model.eval();
            return new DecoderWindowScorer(model, tokenizer.Tokenizer, staging, batchSize, device, $"{Path.GetFullPath(directory)} (stand-in cross-encoder, batch {batchSize})");
        }
        catch
        {
            DeleteStaging(staging);
            throw;
        }
    }

    public float[] Score(string query, IReadOnlyList<string> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        using var noGrad = no_grad();
        var maxTokens = _model.Config.MaxPositionEmbeddings;
        var cutQuery = query.Length > QueryChars ? query[..QueryChars] : query;
        var prompts = passages.Select(p => _tokenizer.Encode(
            $"Question: {cutQuery}\nPassage: {(p.Length > PassageChars ? p[..PassageChars] : p)}\nCan the passage answer the question? Answer yes or no.\nAnswer:",
            maxTokens,
            0)).ToArray();
        var logits = new float[prompts.Length];
        for (var start = 0; start < prompts.Length; start += _batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = prompts.AsSpan(start, Math.Min(_batchSize, prompts.Length - start));
            var length = 1;
            foreach (var prompt in batch)
            {
                length = Math.Max(length, prompt.Length);
            }

            var ids = new long[batch.Length * length];
            var mask = new long[ids.Length];
            var last = new long[batch.Length];
            for (var row = 0; row < batch.Length; row++)
            {
                Array.Fill(ids, _tokenizer.PadId, row * length, length);
                for (var t = 0; t < batch[row].Length; t++)
                {
                    ids[(row * length) + t] = batch[row][t];
                    mask[(row * length) + t] = 1;
                }

                last[row] = Math.Max(batch[row].Length - 1, 0);
            }

            var hidden = _model.call(tensor(ids, [batch.Length, length], device: _device), tensor(mask, [batch.Length, length], device: _device));
            var rows = arange(batch.Length, dtype: ScalarType.Int64, device: _device);
            var atCue = hidden[TensorIndex.Tensor(rows), TensorIndex.Tensor(tensor(last, device: _device))];
            var vocab = _model.Logits(atCue).to(ScalarType.Float32);
            var z = (vocab[TensorIndex.Colon, TensorIndex.Single(_yes)] - vocab[TensorIndex.Colon, TensorIndex.Single(_no)]).cpu();
            z.data<float>().CopyTo(logits, start);
        }

        return logits;
    }

    public void Dispose()
    {
        _model.Dispose();
        DeleteStaging(_staging);
    }

    /// <summary>The first token id of <paramref name="word"/> under the teacher's tokenizer, after any BOS it adds.</summary>
    private static int FirstId(TextTokenizer tokenizer, string word)
    {
        var ids = tokenizer.Encode(word, 8, 0);
        var first = ids.Length > 1 && tokenizer.BosId == ids[0] ? ids[1] : ids[0];
        return first;
    }

    private static void DeleteStaging(string staging)
    {
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
