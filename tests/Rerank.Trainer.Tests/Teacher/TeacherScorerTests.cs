using Rerank.Model.Architecture;
using Rerank.TestUtilities;
using Rerank.Trainer.Backbones;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Teacher;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Teacher;

/// <summary>
/// <see cref="TeacherScorer"/> against independent values: the full-vocabulary <see cref="DecoderModel.Logits"/> of one
/// unpadded forward per prompt, read at the last position in the yes and no columns.
/// </summary>
public sealed class TeacherScorerTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-4;

    // Ids below 40: every vocabulary of these tests has at least the specials and 26 letters in two forms.
    private static readonly int[][] Prompts =
    [
        [2, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
        [2, 22, 23],
        [2, 24, 25, 26, 27, 28],
        [2, 29],
        [2, 32, 33, 34, 35, 36, 37, 38, 39],
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(BackboneArchitecture.Llama, 2)]
    [InlineData(BackboneArchitecture.Qwen2, 2)]
    [InlineData(BackboneArchitecture.Llama, 8)]
    public void Score_Batches_EqualTheFullVocabularyLogitsOfEachPromptAlone(BackboneArchitecture architecture, int batchSize)
    {
        RandomCheckpoint.Write(_temp.Path, architecture == BackboneArchitecture.Llama ? TeacherTestData.Llama : TeacherTestData.Qwen2);
        using var model = DecoderModel.Load(_temp.Path);
        const int yes = 30, no = 31;

        var scored = new TeacherScorer(model, batchSize, padId: 0).Score(Prompts, yes, no, features: true);

        var worstLogit = 0.0;
        var worstFeature = 0.0;
        for (var i = 0; i < Prompts.Length; i++)
        {
            var (logits, hidden) = Alone(model, Prompts[i]);
            var expected = logits[yes] - logits[no];
            worstLogit = Math.Max(worstLogit, Math.Abs(scored[i].Logit - expected));
            Assert.NotNull(scored[i].Features);
            worstFeature = Math.Max(worstFeature, scored[i].Features!.Zip(hidden, (a, b) => Math.Abs(a - b)).Max());
        }

        output.WriteLine($"{architecture}, batch {batchSize}: max |logit - alone| = {worstLogit:E2}, max |y^T - alone| = {worstFeature:E2}");
        Assert.True(worstLogit <= Tolerance, $"{worstLogit:E2}");
        Assert.True(worstFeature <= Tolerance, $"{worstFeature:E2}");
    }

    [Fact]
    public void Score_SameInputsTwice_IsBitForBitTheSame()
    {
        RandomCheckpoint.Write(_temp.Path, TeacherTestData.Llama);
        using var model = DecoderModel.Load(_temp.Path);
        var scorer = new TeacherScorer(model, 2, padId: 0);

        var first = scorer.Score(Prompts, 30, 31, features: false);
        var second = scorer.Score(Prompts, 30, 31, features: false);

        Assert.Equal(first.Select(o => o.Logit), second.Select(o => o.Logit));
        Assert.All(first, o => Assert.Null(o.Features));
    }

    [Fact]
    public void Score_Bfloat16Teacher_StaysCloseToFloat32()
    {
        RandomCheckpoint.Write(_temp.Path, TeacherTestData.Llama);
        using var full = DecoderModel.Load(_temp.Path);
        using var half = DecoderModel.Load(_temp.Path, new BackboneOptions { Dtype = ScalarType.BFloat16 });

        var a = new TeacherScorer(full, 2, 0).Score(Prompts, 30, 31, features: false);
        var b = new TeacherScorer(half, 2, 0).Score(Prompts, 30, 31, features: false);

        var diff = a.Zip(b, (x, y) => Math.Abs(x.Logit - y.Logit)).Max();
        output.WriteLine($"bf16 against fp32 logits: max abs diff {diff:E2}");
        Assert.True(diff < 0.25, $"{diff}");
    }

    private static (float[] Logits, float[] Hidden) Alone(DecoderModel model, int[] prompt)
    {
        model.eval();
        using var noGrad = no_grad();
        using var ids = tensor(prompt.Select(t => (long)t).ToArray(), [1, prompt.Length]);
        using var mask = ones_like(ids);
        using var hidden = model.call(ids, mask);
        using var logits = model.Logits(hidden);
        return (logits[0, prompt.Length - 1].data<float>().ToArray(), hidden[0, prompt.Length - 1].data<float>().ToArray());
    }
}
