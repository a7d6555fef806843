using Rerank.Model.Architecture;
using Rerank.Model.Runtime;
using Rerank.Model.Weights;
using Rerank.TestUtilities.Model;
using Rerank.Trainer.Student;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Student;

public sealed class StudentHeadsTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;
    private static readonly StudentHeadsConfig Heads = new() { Dim = 16, PmaHeads = 4, IemHidden = 12 };

    private readonly WeightSet _weights = StudentHeadWeights.CreateRandom(Heads, seed: 7);

    [Fact]
    public void NamedParameters_AreStudentHeadNamesWithTheirShapes()
    {
        using var heads = new StudentHeads(Heads);

        string[] expected =
        [
            "pma.seed [16]", "pma.fc_q.weight [16, 16]", "pma.fc_q.bias [16]", "pma.fc_k.weight [16, 16]", "pma.fc_k.bias [16]",
            "pma.fc_v.weight [16, 16]", "pma.fc_v.bias [16]", "pma.ln0.weight [16]", "pma.ln0.bias [16]", "pma.fc_o.weight [16, 16]",
            "pma.fc_o.bias [16]", "pma.ln1.weight [16]", "pma.ln1.bias [16]", "iem.fc1.weight [12, 32]", "iem.fc1.bias [12]",
            "iem.branches.0.weight [12, 12]", "iem.branches.0.bias [12]", "iem.branches.1.weight [12, 12]", "iem.branches.1.bias [12]",
            "iem.head.weight [1, 12]", "iem.head.bias [1]",
        ];
        string Format(string name, IEnumerable<long> shape) => $"{name} [{string.Join(", ", shape)}]";
        Assert.Equal(expected, heads.named_parameters().Select(p => Format(p.name, p.parameter.shape)));
        Assert.Equal(
            expected.Order(StringComparer.Ordinal),
            StudentHeadWeights.ParameterShapes(Heads).Select(p => Format(p.Name, p.Shape)).Order(StringComparer.Ordinal));
        Assert.All(heads.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void Pma_PaddedBatchWithJunkInThePadding_MatchesTheDoubleReference()
    {
        int[] lengths = [5, 2, 4];
        const int seq = 5;
        var hidden = Random(seed: 1, lengths.Length * seq * Heads.Dim, scale: 2); // padded rows hold values too: masking must hide them
        var mask = new long[lengths.Length * seq];
        for (var b = 0; b < lengths.Length; b++)
        {
            Array.Fill(mask, 1L, b * seq, lengths[b]);
        }

        using var heads = StudentHeads.Create(Heads, _weights);
        using var noGrad = no_grad();
        using var pooledTensor = heads.Pool(tensor(hidden, [lengths.Length, seq, Heads.Dim]), tensor(mask, [lengths.Length, seq]));
        var pooled = pooledTensor.data<float>().ToArray();

        var reference = new ReferenceHeads(_weights, Heads.Dim, Heads.PmaHeads, Heads.IemHidden);
        var worst = 0.0;
        for (var b = 0; b < lengths.Length; b++)
        {
            var rows = Enumerable.Range(0, seq).Select(t => hidden.AsSpan(((b * seq) + t) * Heads.Dim, Heads.Dim).ToArray().Select(v => (double)v).ToArray()).ToArray();
            var expected = reference.Pool(rows, lengths[b]);
            worst = Math.Max(worst, expected.Select((e, i) => Math.Abs(e - pooled[(b * Heads.Dim) + i])).Max());
            Close.Assert(expected, pooled.AsSpan(b * Heads.Dim, Heads.Dim), Tolerance);
        }

        output.WriteLine($"PMA (TorchSharp) vs double reference, padded batch: max abs diff {worst:E2}");
    }

    [Theory]
    [InlineData(StudentBranch.Symmetric)]
    [InlineData(StudentBranch.Asymmetric)]
    public void Iem_EachBranch_MatchesTheDoubleReference(StudentBranch branch)
    {
        const int n = 4;
        var queries = Random(seed: 4, n * Heads.Dim, scale: 1);
        var passages = Random(seed: 5, n * Heads.Dim, scale: 1);
        using var heads = StudentHeads.Create(Heads, _weights);
        using var noGrad = no_grad();

        var (logitsTensor, featuresTensor) = heads.Interact(tensor(queries, [n, Heads.Dim]), tensor(passages, [n, Heads.Dim]), branch);
        var logits = logitsTensor.data<float>().ToArray();
        var features = featuresTensor.data<float>().ToArray();

        var reference = new ReferenceHeads(_weights, Heads.Dim, Heads.PmaHeads, Heads.IemHidden);
        Assert.Equal([n], logitsTensor.shape);
        Assert.Equal([n, Heads.IemHidden], featuresTensor.shape);
        var worst = 0.0;
        for (var i = 0; i < n; i++)
        {
            var q = queries.AsSpan(i * Heads.Dim, Heads.Dim).ToArray().Select(v => (double)v).ToArray();
            var p = passages.AsSpan(i * Heads.Dim, Heads.Dim).ToArray().Select(v => (double)v).ToArray();
            var (logit, feature) = reference.Interact(q, p, (int)branch);
            worst = Math.Max(worst, Math.Abs(logit - logits[i]));
            Assert.InRange(logits[i], logit - Tolerance, logit + Tolerance);
            Close.Assert(feature, features.AsSpan(i * Heads.IemHidden, Heads.IemHidden), Tolerance);
        }

        output.WriteLine($"IEM {branch} (TorchSharp) vs double reference: max abs logit diff {worst:E2}");
    }

    [Fact]
    public void Iem_Branches_GiveDifferentLogits()
    {
        using var heads = StudentHeads.Create(Heads, _weights);
        using var noGrad = no_grad();
        using var q = tensor(Random(seed: 8, 2 * Heads.Dim, scale: 1), [2, Heads.Dim]);
        using var p = tensor(Random(seed: 9, 2 * Heads.Dim, scale: 1), [2, Heads.Dim]);

        var sym = heads.Interact(q, p, StudentBranch.Symmetric).Logits.data<float>().ToArray();
        var asym = heads.Interact(q, p, StudentBranch.Asymmetric).Logits.data<float>().ToArray();

        Assert.NotEqual(sym, asym);
    }

    [Fact]
    public void ToWeightSet_AfterCreate_GivesBackTheSameValues()
    {
        using var heads = StudentHeads.Create(Heads, _weights);

        var copy = heads.ToWeightSet();

        Assert.Equal(_weights.Names.Order(StringComparer.Ordinal), copy.Names.Order(StringComparer.Ordinal));
        Assert.All(_weights.Tensors, t => Assert.Equal(t.Values, copy.Get(t.Name, t.Shape).Values));
    }

    [Fact]
    public void LoadWeights_WrongShape_NamesTheTensorAndChangesNothing()
    {
        using var heads = StudentHeads.Create(Heads, _weights);
        var wrong = StudentHeadWeights.CreateRandom(Heads with { IemHidden = 8 }, seed: 3);

        var error = Assert.Throws<InvalidDataException>(() => heads.LoadWeights(wrong));

        Assert.Contains("'iem.fc1.weight' has shape [8, 32], expected [12, 32]", error.Message, StringComparison.Ordinal);
        Assert.Equal(_weights.Get("pma.seed", 16).Values, heads.ToWeightSet().Get("pma.seed", 16).Values);
    }

    internal static float[] Random(int seed, int count, double scale) => new SeededNormal((ulong)seed).Fill(count, 0, scale);
}
