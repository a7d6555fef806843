using Rerank.Model.Checkpoints;
using Rerank.Model.Architecture;
using Rerank.Model.Tokenization;
using Rerank.Trainer.Tokenization;

namespace Rerank.Trainer.Checkpoints;

/// <summary>Writes a random checkpoint (<see cref="RandomCheckpointSettings"/>) as a Hugging Face model directory.</summary>
/// <remarks>
/// 1. A WordPiece vocabulary from src/Model's <see cref="WordPieceVocabularyBuilder"/> (the one <c>rerank model init</c>
///    uses), written as a BERT tokenizer: vocab.txt, tokenizer_config.json, special_tokens_map.json. Special ids:
///    pad = <c>[PAD]</c> (0), bos = <c>[CLS]</c> (2), eos = <c>[SEP]</c> (3).
/// 2. config.json with <c>vocab_size</c> = the vocabulary's size, rope theta 10,000 (LLaMA) or 1,000,000 (Qwen2).
/// 3. The weights of src/Model's <see cref="DecoderWeights.EnumerateRandom"/>, streamed tensor by tensor in its
///    order (so memory holds one tensor at a time) and rounded to the requested dtype.
/// </remarks>
internal static class RandomCheckpoint
{
    /// <returns>The config written.</returns>
    /// <exception cref="ArgumentException">The shape is invalid; the message lists every problem.</exception>
    public static HfModelConfig Write(string directory, RandomCheckpointSettings settings)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(settings);

        // Step 1 (the vocabulary decides vocab_size).
        var vocabulary = (List<string>)[.. settings.BuildVocabulary()];
        var decoder = settings.ToDecoderConfig(vocabulary.Count, settings.MaxPositionEmbeddings, settings.TieWordEmbeddings);
        var errors = decoder.Validate();
        if (errors.Count == 0)
        {
            errors = RandomDecoderShape.SizeProblems(decoder, 64L << 30, "init-checkpoint writes test checkpoints of at most 64 GiB");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid model shape: " + string.Join(" ", errors), nameof(settings));
        }

        var config = new HfModelConfig
        {
            Decoder = decoder,
            PadTokenId = vocabulary.IndexOf(WordPieceModelFiles.PadToken),
            BosTokenId = vocabulary.IndexOf(WordPieceModelFiles.ClsToken),
            EosTokenIds = [vocabulary.IndexOf(WordPieceModelFiles.SepToken)],
            TorchDtype = settings.Dtype,
        };
        Directory.CreateDirectory(directory);
        WordPieceModelFiles.Write(directory, vocabulary, settings.MaxPositionEmbeddings);

        // Steps 2 and 3: the writer calls the entries in order, and each pulls the next tensor from the one stream.
        using var stream = DecoderWeights.EnumerateRandom(decoder, settings.Seed).GetEnumerator();
        var entries = DecoderWeights.ParameterShapes(decoder).Select(p => new SafetensorsWriteEntry(p.Name, settings.Dtype, p.Shape, destination =>
        {
            if (!stream.MoveNext() || stream.Current.Name != p.Name)
            {
                throw new InvalidOperationException($"The random stream is out of step at tensor '{p.Name}'.");
            }

            SafetensorsWriter.WriteSingles(destination, stream.Current.Values, settings.Dtype);
        })).ToList();
        HfCheckpointWriter.Write(directory, config, entries, settings.ShardBytes);
        return config;
    }
}
