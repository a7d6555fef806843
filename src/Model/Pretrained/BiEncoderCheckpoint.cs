using System.Globalization;
using Microsoft.Extensions.Logging;
using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Checkpoints;
using Rerank.Model.Runtime;
using Rerank.Model.Tokenization;

namespace Rerank.Model.Pretrained;

/// <summary>
/// A BERT checkpoint opened as the bi-encoder its authors use: pooling, query prefix and token limit from the
/// checkpoint's sentence-transformers files where it has them (docs/baselines.md). <c>eval rerank --baseline cosine</c>
/// ranks with it; <c>rerank-train teacher fuse</c> reads its cosines.
/// </summary>
internal sealed record BiEncoderCheckpoint
{
    /// <summary>The checkpoint directory's full path.</summary>
    public required string Checkpoint { get; init; }

    public required EmbeddingPooling Pooling { get; init; }

    /// <summary>Put before every query (arctic-embed's retrieval instruction), or null.</summary>
    public string? QueryPrefix { get; init; }

    /// <summary>Put before every passage, or null.</summary>
    public string? PassagePrefix { get; init; }

    /// <summary>Tokens per text, [CLS] and [SEP] included.</summary>
    public required int MaxTokens { get; init; }

    /// <summary>Where each setting came from, for the table: <c>pooling mean (1_Pooling/config.json)</c> ...</summary>
    public required string Origin { get; init; }

    /// <summary>Names the baseline where the student's model id would stand: <c>cosine:{checkpoint folder}</c>.</summary>
    public string ModelId => "cosine:" + Path.GetFileName(Checkpoint.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));

    public TextLimits QueryLimits => new() { MaxTokens = MaxTokens, Prefix = QueryPrefix };

    public TextLimits PassageLimits => new() { MaxTokens = MaxTokens, Prefix = PassagePrefix };

    /// <summary>
    /// Reads <paramref name="checkpoint"/> (config.json, safetensors weights, vocab.txt and tokenizer_config.json),
    /// decides the settings and opens the bi-encoder over it.
    /// </summary>
    /// <remarks>
    /// 1. Weights and config through <see cref="HfCheckpointReader"/>; only a BERT checkpoint is taken (its WordPiece
    ///    tokenizer is what the rerank executable loads without the trainer).
    /// 2. Settings: <paramref name="pooling"/> when given; else the checkpoint's sentence-transformers files
    ///    (<see cref="SentenceTransformerSettings"/>: <c>1_Pooling/config.json</c>'s mode,
    ///    <c>config_sentence_transformers.json</c>'s <c>prompts.query</c> and <c>prompts.document</c> as prefixes,
    ///    <c>sentence_bert_config.json</c>'s <c>max_seq_length</c>); else mean pooling, no prefix,
    ///    min(512, max_position_embeddings) tokens.
    /// 3. The tokenizer from the checkpoint's files (<see cref="BertTokenizerFiles"/>) and the bi-encoder graph.
    /// </remarks>
    /// <exception cref="InvalidDataException">The checkpoint cannot be read, is not BERT, or its sentence-transformers files ask for what is not supported; one message naming the file and what is wrong.</exception>
    public static (BiEncoderCheckpoint Baseline, BiEncoder Encoder) Open(string checkpoint, EmbeddingPooling? pooling, StudentModelOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        checkpoint = Path.GetFullPath(checkpoint);
        try
        {
            // 1.
            var (config, weights) = HfCheckpointReader.ReadWeights(checkpoint);
            if (!config.Decoder.IsEncoder)
            {
                throw new InvalidDataException(
                    $"{Path.Combine(checkpoint, CheckpointFiles.Config)}: model_type '{config.ModelType}' is not supported by --baseline cosine (bert checkpoints are)");
            }

            // 2.
            var baseline = Settings(checkpoint, config, pooling);

            // 3.
            var tokenizer = TextTokenizer.Load(checkpoint, BertTokenizerFiles.Describe(checkpoint, config));
            var encoder = new BiEncoder(config.Decoder, weights, tokenizer, baseline.PassageLimits, baseline.Pooling, options, logger);
            return (baseline, encoder);
        }
        catch (CheckpointException exception)
        {
            throw new InvalidDataException(exception.Message, exception);
        }
    }

    private static BiEncoderCheckpoint Settings(string checkpoint, HfModelConfig config, EmbeddingPooling? pooling)
    {
        // sentence-transformers' defaults where its files are silent are the model's positions; BERT's are capped at 512.
        var settings = SentenceTransformerSettings.Read(checkpoint, Math.Min(512, config.Decoder.MaxPositionEmbeddings));
        var fromFiles = new[]
        {
            SentenceTransformerSettings.ModulesFile,
            Path.Combine(SentenceTransformerSettings.PoolingDirectory, CheckpointFiles.Config),
            SentenceTransformerSettings.SentenceBertConfigFile,
            SentenceTransformerSettings.SentenceTransformersConfigFile,
        }.Any(f => File.Exists(Path.Combine(checkpoint, f)));
        var chosen = pooling ?? settings.Pooling;
        var origin = fromFiles ? "the checkpoint's sentence-transformers files" : "defaults";
        var prefixes = (settings.QueryPrefix, settings.PassagePrefix) switch
        {
            (null, null) => "no prefixes",
            ({ } q, null) => $"query prefix \"{q}\"",
            (null, { } p) => $"passage prefix \"{p}\"",
            ({ } q, { } p) => $"query prefix \"{q}\", passage prefix \"{p}\"",
        };
        return new BiEncoderCheckpoint
        {
            Checkpoint = checkpoint,
            Pooling = chosen,
            QueryPrefix = settings.QueryPrefix,
            PassagePrefix = settings.PassagePrefix,
            MaxTokens = settings.MaxTokens,
            Origin = string.Create(
                CultureInfo.InvariantCulture,
                $"{Name(chosen)} pooling{(pooling is null ? "" : " (--pooling)")}, {settings.MaxTokens} tokens, {prefixes} (from {origin})"),
        };
    }

    /// <summary><c>mean</c> or <c>cls</c>, as <c>--pooling</c> takes them.</summary>
    public static string Name(EmbeddingPooling pooling) => pooling == EmbeddingPooling.Cls ? "cls" : "mean";
}
