using Rerank.Model.Runtime;
using Rerank.Trainer.Backbones;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Native;
using Rerank.Trainer.Teacher;
using Rerank.Trainer.Tokenization;
using static TorchSharp.torch;

namespace Rerank.Trainer.Bench;

/// <summary>
/// The pipeline's teacher as <c>bench runtime</c> runs it: each (query, passage) of a window becomes the asymmetric
/// prompt (<see cref="TeacherPromptEncoder"/>, default limits: 50 / 320 characters, min(512, max positions) tokens) and
/// <see cref="TeacherScorer"/> scores them in left-padded batches, reading z_yes - z_no at the answer cue, without y^T.
/// Owns the model and the tokenizer's staging folder. Not thread-safe.
/// </summary>
internal sealed class TeacherWindowScorer : IWindowScorer
{
    private readonly DecoderModel _model;
    private readonly TeacherPromptEncoder _encoder;
    private readonly TeacherScorer _scorer;
    private readonly string _staging;
    private readonly int _yes;
    private readonly int _no;

    private TeacherWindowScorer(DecoderModel model, TeacherPromptEncoder encoder, TeacherScorer scorer, string staging, string description)
    {
        _model = model;
        _encoder = encoder;
        _scorer = scorer;
        _staging = staging;
        (_yes, _no) = encoder.AnswerIds(StudentBranch.Asymmetric);
        Description = description;
    }

    public string Description { get; }

    /// <summary>Loads the checkpoint in <paramref name="directory"/> in <paramref name="dtype"/> on <see cref="TeacherScorer.DefaultDevice"/>.</summary>
    /// <exception cref="CheckpointException">The checkpoint or its tokenizer cannot be loaded; every problem is listed.</exception>
    public static TeacherWindowScorer Load(string directory, TeacherPrompts prompts, ScalarType dtype, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        TorchNative.Initialize();
        var staging = Path.Combine(Path.GetTempPath(), "rerank-bench-tokenizer-" + Guid.NewGuid().ToString("N"));
        DecoderModel? model = null;
        try
        {
            using var checkpoint = HfCheckpoint.Open(directory);
            TeacherRun.RequireDecoder(checkpoint);
            var tokenizer = HfTokenizerLoader.Load(checkpoint.Directory, checkpoint.Config, staging);
            var config = checkpoint.Config.Decoder;
            var encoder = new TeacherPromptEncoder(tokenizer, prompts, new TeacherPromptLimits(), config.MaxPositionEmbeddings, config.VocabSize);
            var device = TeacherScorer.DefaultDevice();
            model = new DecoderModel(config, new BackboneOptions { Dtype = dtype, Device = device });
            model.LoadWeights(checkpoint);
            var scorer = new TeacherScorer(model, batchSize, encoder.PadId);
            var description = $"{checkpoint.Directory} on {device.type} in {(dtype == ScalarType.BFloat16 ? "bfloat16" : "float32")}, prompts {prompts.Name}, batch {batchSize}";
            return new TeacherWindowScorer(model, encoder, scorer, staging, description);
        }
        catch
        {
            model?.Dispose();
            DeleteStaging(staging);
            throw;
        }
    }

    public float[] Score(string query, IReadOnlyList<string> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        var prompts = passages.Select(p => _encoder.Encode(StudentBranch.Asymmetric, query, p)).ToArray();
        return [.. _scorer.Score(prompts, _yes, _no, features: false).Select(o => o.Logit)];
    }

    public void Dispose()
    {
        _model.Dispose();
        DeleteStaging(_staging);
    }

    private static void DeleteStaging(string staging)
    {
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
