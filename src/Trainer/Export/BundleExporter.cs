using Rerank.Model.Bundle;
using Rerank.Model.Graphs;
using Rerank.Trainer.Student;

namespace Rerank.Trainer.Export;

/// <summary>Writes a model bundle from a backbone checkpoint (LoRA merged) and the student heads: <c>rerank-train export</c>.</summary>
/// <remarks>
/// 1. The backbone's weights in float32 with LoRA merged (<see cref="StudentInputs.BackboneWeights"/>).
/// 2. The three graphs with src/Model's builders (<see cref="StudentGraphs"/>): the encoder is the backbone then PMA,
///    the passage projection and the factorised scorer read the IEM; the head weights are used as they are, under
///    their <c>StudentHeadNames</c> keys.
/// 3. <see cref="ModelBundleWriter"/> saves them (the encoder's weights as external data when over 1 GiB, unless
///    forced), copies the tokenizer files in the descriptor src/Model's tokenizer loads, hashes everything and writes the
///    manifest with the provenance. The same inputs give byte-identical files.
/// </remarks>
internal static class BundleExporter
{
    public const string CreatedBy = "rerank-train export";

    /// <summary>Exports <paramref name="inputs"/> to the bundle directory <paramref name="directory"/> (bundle files in it are replaced).</summary>
    /// <param name="inputs">The opened source.</param>
    /// <param name="directory">The bundle directory.</param>
    /// <param name="encoderExternalData">Encoder weights in <c>encoder.onnx.data</c>: null decides by size, true or false forces it.</param>
    /// <returns>The manifest written.</returns>
    public static ModelManifest Export(StudentInputs inputs, string directory, bool? encoderExternalData = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);

        // Step 1.
        var backboneWeights = inputs.BackboneWeights();

        // Step 2.
        var encoder = StudentGraphs.BuildEncoder(inputs.Backbone, backboneWeights, inputs.Heads, inputs.HeadWeights);
        var projection = StudentGraphs.BuildPassageProjection(inputs.Heads, inputs.HeadWeights);
        var scorer = StudentGraphs.BuildScorer(inputs.Heads, inputs.HeadWeights);

        // Step 3.
        return ModelBundleWriter.Write(directory, new BundleContents
        {
            Backbone = inputs.Backbone,
            Heads = inputs.Heads,
            Encoder = encoder,
            PassageProjection = projection,
            Scorer = scorer,
            Tokenizer = inputs.Tokenizer.Descriptor,
            TokenizerSourceDirectory = inputs.Tokenizer.Directory,
            Query = inputs.Query,
            Passage = inputs.Passage,
            Provenance = inputs.Provenance(CreatedBy),
            EncoderExternalData = encoderExternalData,
        });
    }
}
