using System.Globalization;
using System.Text.Json.Nodes;
using Rerank.Model.Runtime;
using Rerank.Trainer.Backbones;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Data;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Tokenization;
using static TorchSharp.torch;

namespace Rerank.Trainer.Teacher;

/// <summary>
/// The <c>teacher</c> stage: scores the plan's pairs (or one shard of them) with an LLM teacher into a resumable store.
/// </summary>
/// <remarks>
/// 1. The pairs: <see cref="TrainingPlan.Pairs"/>, or the shard's contiguous slice of them.
/// 2. The checkpoint, its tokenizer and the prompt encoder (<see cref="TeacherPromptEncoder"/>); the header
///    (<see cref="TeacherStoreHeader"/>) with the checkpoint's and the plan's hashes.
/// 3. The store: <c>teacher/scores</c> without a shard, <c>teacher/shard-I-of-N</c> with one; an existing file with the
///    same header is resumed after its last complete chunk, one with another header is refused.
/// 4. The model (dtype, device) and the scorer; chunk by chunk: prompts, scores, append and flush, progress.
/// </remarks>
internal static class TeacherRun
{
    /// <summary>Refuses a BERT checkpoint as the teacher: the teacher reads a decoder's LM head (yes/no logits).</summary>
    /// <exception cref="CheckpointException">The checkpoint is an encoder; the message names its config.json and model_type.</exception>
    public static void RequireDecoder(HfCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Config.Decoder.IsEncoder)
        {
            throw new CheckpointException(
                checkpoint.Directory,
                [$"{Path.Combine(checkpoint.Directory, CheckpointFiles.Config)}: model_type '{checkpoint.Config.ModelType}' is not supported as the teacher (it has no LM head to answer yes/no; the teacher is a llama or qwen2 decoder, bert is supported as the student backbone)"]);
        }
    }

    /// <returns>The store's header path, the pairs it holds and how many were already done before this run.</returns>
    /// <exception cref="InvalidDataException">A plan pair names a query or passage the data lacks, or the store was written for other settings.</exception>
    /// <exception cref="CheckpointException">The checkpoint or its tokenizer cannot be loaded.</exception>
    /// <exception cref="ArgumentException">The settings are invalid (prompts, limits, answer words); the message names them.</exception>
    public static (string HeaderPath, int Count, int Resumed) Run(TrainingCorpus corpus, TrainingPlan plan, TeacherRunSettings settings, TextWriter log, TextWriter progressOutput, bool terminal)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.BatchSize, 1);
        if (settings.FeatureDtype is not (null or "float16" or "float32"))
        {
            throw new ArgumentException($"--features: '{settings.FeatureDtype}' is not float16, float32 or none.", nameof(settings));
        }

        // Step 1.
        var all = plan.Pairs();
        var (start, length) = settings.Shard?.Slice(all.Count) ?? (0, all.Count);
        var pairs = all.Skip(start).Take(length).ToList();
        var branch = plan.Branch;
        foreach (var (queryId, passageId) in pairs)
        {
            if (!corpus.Queries.ContainsKey(queryId))
            {
                throw new InvalidDataException($"the plan pair ({queryId}, {passageId}) names query '{queryId}', which {corpus.Source} does not have; was the plan made from other data?");
            }

            if (!corpus.Passages.ContainsKey(passageId))
            {
                throw new InvalidDataException($"the plan pair ({queryId}, {passageId}) names passage '{passageId}', which {corpus.Source} does not have; was the plan made from other data?");
            }
        }

        // Step 2.
        using var checkpoint = HfCheckpoint.Open(settings.Checkpoint);
        RequireDecoder(checkpoint);
        var staging = Path.Combine(Path.GetTempPath(), "rerank-teacher-tokenizer-" + Guid.NewGuid().ToString("N"));
        try
        {
            var tokenizer = HfTokenizerLoader.Load(checkpoint.Directory, checkpoint.Config, staging);
            var config = checkpoint.Config.Decoder;
            var encoder = new TeacherPromptEncoder(tokenizer, settings.Prompts, settings.Limits, config.MaxPositionEmbeddings, config.VocabSize);
            var (yes, no) = encoder.AnswerIds(branch);
            var prompt = settings.Prompts.For(branch);
            var header = new TeacherStoreHeader
            {
                Kind = "checkpoint",
                Teacher = checkpoint.Directory,
                TeacherSha256 = TeacherHashes.Directory(checkpoint.Directory),
                Dtype = settings.Dtype == ScalarType.BFloat16 ? "bfloat16" : "float32",
                Branch = branch.ToName(),
                Prompt = new JsonObject { ["source"] = settings.Prompts.Name, ["template"] = prompt.Template, ["yes"] = prompt.Yes, ["no"] = prompt.No, ["bos"] = encoder.Bos },
                AnswerIds = (yes, no),
                Limits = new JsonObject
                {
                    ["query_chars"] = settings.Limits.QueryChars,
                    ["passage_chars"] = settings.Limits.PassageChars,
                    ["symmetric_chars"] = settings.Limits.SymmetricChars,
                    ["max_tokens"] = encoder.MaxTokens,
                },
                PlanSha256 = TeacherHashes.PlanPairs(all),
                Shard = settings.Shard,
                FeatureDim = settings.FeatureDtype is null ? null : config.HiddenSize,
                FeatureDtype = settings.FeatureDtype,
                Count = pairs.Count,
            };

            // Step 3.
            using var writer = TeacherStoreWriter.Open(settings.TeacherDirectory, settings.Shard?.FileStem ?? TeacherStore.MergedStem, header, pairs);
            var resumed = writer.Done;
            if (writer.IsComplete)
            {
                log.WriteLine($"teacher: {writer.HeaderPath} already holds all {pairs.Count:N0} pairs; nothing to do.");
                return (writer.HeaderPath, pairs.Count, resumed);
            }

            if (resumed > 0)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teacher: resuming {writer.HeaderPath} after {resumed:N0} of {pairs.Count:N0} pairs."));
            }

            // Step 4.
            var device = settings.Device ?? TeacherScorer.DefaultDevice();
            using var model = new DecoderModel(config, new BackboneOptions { Dtype = settings.Dtype, Device = device });
            model.LoadWeights(checkpoint);
            var scorer = new TeacherScorer(model, settings.BatchSize, encoder.PadId);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teacher: {checkpoint.Directory} on {device.type} in {header.Dtype}, {(settings.Shard is { } s ? $"shard {s} = pairs {start:N0}..{start + length - 1:N0} of {all.Count:N0}" : $"{all.Count:N0} pairs")}, answer ids yes {yes} no {no}"));
            var progress = new StageProgress(progressOutput, terminal, "teacher", "pairs", pairs.Count, resumed);
            for (var at = resumed; at < pairs.Count; at += settings.ChunkRecords)
            {
                var chunk = pairs.Skip(at).Take(settings.ChunkRecords).ToList();
                var prompts = chunk.Select(p => encoder.Encode(branch, corpus.Queries[p.QueryId], corpus.Passages[p.PassageId])).ToList();
                var outputs = scorer.Score(prompts, yes, no, header.FeatureDim is not null);
                writer.Append([.. chunk.Select((p, i) => (p.QueryId, p.PassageId, outputs[i]))]);
                progress.Report(writer.Done);
            }

            progress.Finish();
            return (writer.HeaderPath, pairs.Count, resumed);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
