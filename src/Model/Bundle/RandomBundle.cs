using Rerank.Model.Architecture;
using Rerank.Model.Graphs;
using Rerank.Model.Tokenization;

namespace Rerank.Model.Bundle;

/// <summary>Writes a tiny random student bundle (<see cref="RandomBundleSettings"/>). The same settings give byte-identical bundles.</summary>
internal static class RandomBundle
{
    public static ModelManifest Write(string directory, RandomBundleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var vocabulary = settings.BuildVocabulary();
        var backbone = settings.ToDecoderConfig(vocabulary.Count, Math.Max(512, Math.Max(settings.Query.MaxTokens, settings.Passage.MaxTokens)));
        if (backbone.IsEncoder)
        {
            // BERT: 2 token types and eps 1e-12 as bert-base; no grouped-query attention, so KeyValueHeads is not read.
            backbone = backbone with { NumKeyValueHeads = backbone.NumHeads, TypeVocabSize = 2, LayerNormEps = 1e-12 };
        }

        var heads = new StudentHeadsConfig
        {
            Dim = settings.Hidden,
            PmaHeads = settings.PmaHeads > 0 ? settings.PmaHeads : settings.Heads,
            IemHidden = settings.IemHidden,
        };
        var errors = backbone.Validate().Concat(heads.Validate()).ToList();
        if (errors.Count == 0)
        {
            // The encoder graph holds the backbone's weights inline, and a protobuf message stays under 2 GiB.
            errors.AddRange(RandomDecoderShape.SizeProblems(backbone, int.MaxValue, "an ONNX file with inline weights stays under 2 GiB"));
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid model shape: " + string.Join(" ", errors), nameof(settings));
        }

        // Backbone and heads draw from independent seeded streams (a tensor's values depend on the seed and its name only).
        var backboneWeights = BackboneWeights.CreateRandom(backbone, settings.Seed);
        var headWeights = StudentHeadWeights.CreateRandom(heads, settings.Seed);
        var tokenizer = new TokenizerDescriptor
        {
            Kind = TokenizerKind.WordPiece,
            Files = ["vocab.txt"],
            LowerCase = true,
            BosToken = "[CLS]",
            AddBos = true,

            // BERT was trained on [CLS] text [SEP]; the decoders here read [CLS] text.
            EosToken = backbone.IsEncoder ? "[SEP]" : null,
            AddEos = backbone.IsEncoder,
            PadToken = "[PAD]",
            UnkToken = "[UNK]",
        };

        var staging = Path.Combine(Path.GetTempPath(), "rerank-vocab-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            WordPieceVocabularyBuilder.Write(vocabulary, Path.Combine(staging, "vocab.txt"));
            return ModelBundleWriter.Write(directory, new BundleContents
            {
                Backbone = backbone,
                Heads = heads,
                Encoder = StudentGraphs.BuildEncoder(backbone, backboneWeights, heads, headWeights),
                PassageProjection = StudentGraphs.BuildPassageProjection(heads, headWeights),
                Scorer = StudentGraphs.BuildScorer(heads, headWeights),
                Tokenizer = tokenizer,
                TokenizerSourceDirectory = staging,
                Query = settings.Query,
                Passage = settings.Passage,
                EncoderExternalData = settings.EncoderExternalData,
                Provenance = new ModelProvenance
                {
                    CreatedBy = settings.CreatedBy,
                    Seed = settings.Seed,
                    Notes = "Random initialisation: the real architecture with untrained weights. Its scores carry no relevance signal.",
                },
            });
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
