using Rerank.Model.Bundle;
using Rerank.Model.Tokenization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Architecture;
using Rerank.Model.Graphs;
using Rerank.Model.Onnx;
using Rerank.Model.Runtime;
using Rerank.Model.Weights;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Pipeline;
using static TorchSharp.torch;

namespace Rerank.Trainer.Training;

/// <summary>
/// The frozen backbone's final hidden states of every text a plan uses, computed once (float32, real tokens only, on the
/// CPU, computed by ONNX Runtime from the backbone's exported graph) and kept in memory and in <c>train/frozen-states.safetensors</c>, so training a frozen student never runs the
/// backbone again and a resumed run reads them back instead of recomputing.
/// </summary>
/// <remarks>
/// Tensors are named <c>q/{query id}</c> and <c>p/{passage id}</c>, shape <c>[tokens, d]</c>. The file's metadata records
/// what the states depend on (the backbone's provenance, both text limits, the text batch); a file that differs is
/// recomputed and replaced, with a line saying so. Texts are run longest first so batches pad little; a real token's state
/// does not depend on the padding (a decoder's right pads come after every real token under a causal mask, BERT hides
/// padded keys), so each text's states are the ones it would get alone.
/// </remarks>
internal sealed class FrozenStateCache : IDisposable
{
    private readonly Dictionary<string, Tensor> _states;

    private FrozenStateCache(Dictionary<string, Tensor> states) => _states = states;

    public int Count => _states.Count;

    /// <summary>Loads the cache from <paramref name="path"/> when it matches <paramref name="fingerprint"/>, else computes and writes it.</summary>
    public static FrozenStateCache LoadOrCompute(
        string path,
        IReadOnlyDictionary<string, string> fingerprint,
        BackboneConfig backbone,
        Func<WeightSet> backboneWeights,
        TextTokenizer tokenizer,
        IReadOnlyList<(string Key, string Text, TextLimits Limits)> texts,
        int textBatch,
        TextWriter output)
    {
        if (File.Exists(path))
        {
            using var file = SafetensorsFile.Open(path);
            var differs = fingerprint.Where(f => !file.Metadata.TryGetValue(f.Key, out var v) || v != f.Value).Select(f => f.Key).ToList();
            var missing = texts.Count(t => !file.Contains(t.Key));
            if (differs.Count == 0 && missing == 0)
            {
                var loaded = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (var (key, _, _) in texts)
                {
                    loaded.TryAdd(key, tensor(file.ReadSingles(key), file.Get(key).Shape));
                }

                output.WriteLine($"frozen backbone: {loaded.Count} cached hidden states read from {path}");
                return new FrozenStateCache(loaded);
            }

            output.WriteLine($"frozen backbone: {path} was computed for other inputs ({(differs.Count > 0 ? string.Join(", ", differs) + " differ" : missing + " texts missing")}); recomputing");
        }

        var cache = new FrozenStateCache(Compute(backbone, backboneWeights(), tokenizer, texts, textBatch, output));
        cache.Write(path, fingerprint);
        return cache;
    }

    /// <summary>The cached states of <paramref name="keys"/>, right-padded: hidden <c>[n, seq, d]</c> float32 and mask <c>[n, seq]</c> int64, on <paramref name="device"/>.</summary>
    public (Tensor Hidden, Tensor Mask) Batch(IReadOnlyList<string> keys, Device device)
    {
        using var scope = NewDisposeScope();
        var states = keys.Select(k => _states.TryGetValue(k, out var s) ? s : throw new InvalidOperationException($"No cached hidden state for '{k}'.")).ToList();
        var length = states.Max(s => s.shape[0]);
        var hidden = stack(states.Select(s => nn.functional.pad(s, [0, 0, 0, length - s.shape[0]])).ToList());
        var mask = stack(states.Select(s => cat([ones(s.shape[0], dtype: ScalarType.Int64), zeros(length - s.shape[0], dtype: ScalarType.Int64)])).ToList());
        return (hidden.to(device).MoveToOuterDisposeScope(), mask.to(device).MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        foreach (var state in _states.Values)
        {
            state.Dispose();
        }
    }

    private static Dictionary<string, Tensor> Compute(BackboneConfig backbone, WeightSet weights, TextTokenizer tokenizer, IReadOnlyList<(string Key, string Text, TextLimits Limits)> texts, int textBatch, TextWriter output)
    {
        var distinct = texts.DistinctBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (t.Key, Tokens: tokenizer.Encode(t.Limits.Prepare(t.Text), t.Limits.MaxTokens, maxChars: 0)))
            .OrderByDescending(t => t.Tokens.Length)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .ToList();
        var hiddenSize = backbone.HiddenSize;
        var states = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var progress = new StageProgress(output, terminal: false, "frozen backbone", "texts", distinct.Count, alreadyDone: 0);

        // ONNX Runtime runs the backbone several times faster than TorchSharp's eager CPU forward here, and these are the
        // states the bundle's encoder computes at serving time (the graph is the one export writes). Every logical core:
        // the trainer does nothing else meanwhile.
        var factory = new OnnxSessionFactory(new StudentModelOptions { IntraOpThreads = Environment.ProcessorCount }, NullLogger.Instance);

        // Saved to a file (weights external past 1 GiB, as export writes them) so a backbone over protobuf's 2 GB limit
        // loads; the folder goes when the states are computed (ONNX Runtime may map the weights file).
        var staging = Directory.CreateTempSubdirectory("rerank-frozen-");
        try
        {
            var graphPath = Path.Combine(staging.FullName, "backbone.onnx");
            OnnxModelFile.Save(StudentGraphs.BuildBackbone(backbone, weights), graphPath);
            using var session = factory.Open(graphPath);
            RunBatches(session, tokenizer, distinct, textBatch, hiddenSize, states, progress);
        }
        finally
        {
            staging.Delete(recursive: true);
        }

        return states;
    }

    private static void RunBatches(
        InferenceSession session,
        TextTokenizer tokenizer,
        List<(string Key, int[] Tokens)> distinct,
        int textBatch,
        int hiddenSize,
        Dictionary<string, Tensor> states,
        StageProgress progress)
    {
        using var runOptions = new RunOptions();
        for (var start = 0; start < distinct.Count; start += textBatch)
        {
            var batch = distinct.GetRange(start, Math.Min(textBatch, distinct.Count - start));
            var length = batch.Max(b => b.Tokens.Length);
            var ids = new long[batch.Count * length];
            var mask = new long[ids.Length];
            for (var row = 0; row < batch.Count; row++)
            {
                Array.Fill(ids, tokenizer.PadId, row * length, length);
                for (var t = 0; t < batch[row].Tokens.Length; t++)
                {
                    ids[(row * length) + t] = batch[row].Tokens[t];
                    mask[(row * length) + t] = 1;
                }
            }

            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [batch.Count, length]);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [batch.Count, length]);
            using var outputs = session.Run(runOptions, [StudentGraphNames.InputIds, StudentGraphNames.AttentionMask], [idsValue, maskValue], [BertGraph.LastHiddenState]);
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            for (var row = 0; row < batch.Count; row++)
            {
                var tokens = batch[row].Tokens.Length;
                var values = hidden.Slice(row * length * hiddenSize, tokens * hiddenSize).ToArray();
                states[batch[row].Key] = tensor(values, [tokens, hiddenSize]);
            }

            progress.Report(start + batch.Count);
        }
    }

    private void Write(string path, IReadOnlyDictionary<string, string> fingerprint)
    {
        var entries = _states.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => SafetensorsWriteEntry.FromSingles(s.Key, SafetensorsDtype.F32, s.Value.shape, s.Value.data<float>().ToArray()))
            .ToList();
        var metadata = new Dictionary<string, string>(fingerprint, StringComparer.Ordinal) { ["format"] = "pt" };
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        SafetensorsWriter.Write(temporary, entries, metadata);
        File.Move(temporary, path, overwrite: true);
    }
}
