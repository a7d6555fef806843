using Rerank.Model.Architecture;
using Rerank.Model.Heads;
using Rerank.Model.Runtime;
using Rerank.Model.Weights;
using Rerank.Trainer.Native;
using Rerank.Trainer.Weights;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Rerank.Trainer.Student;

/// <summary>
/// The student's heads on top of the backbone, PMA (<c>pma</c>) and the IEM (<c>iem</c>), in float32 (D2LLM.md section 4:
/// fp32 heads whatever the backbone's dtype). Every parameter's name is its <see cref="StudentHeadNames"/> key, so
/// <c>named_parameters()</c> equals <see cref="StudentHeadWeights.ParameterShapes"/> and a trained student saves,
/// loads (<see cref="StudentDirectory"/>) and exports without renaming. Not thread-safe; the owner disposes.
/// </summary>
internal sealed class StudentHeads : nn.Module
{
    [ComponentName(Name = "pma")]
    private readonly Pma _pma;

    [ComponentName(Name = "iem")]
    private readonly Iem _iem;

    /// <exception cref="ArgumentException">The config is invalid; every problem is listed.</exception>
    public StudentHeads(StudentHeadsConfig config, Device? device = null) : base(nameof(StudentHeads))
    {
        TorchNative.Initialize();
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid student heads: " + string.Join(" ", errors), nameof(config));
        }

        Config = config;
        device ??= CPU;
        _pma = new Pma(config, device);
        _iem = new Iem(config, device);
        RegisterComponents();
    }

    public StudentHeadsConfig Config { get; }

    public Pma Pma => _pma;

    public Iem Iem => _iem;

    /// <summary>Heads with the values of <paramref name="weights"/> (<see cref="StudentHeadWeights.CreateRandom"/>, or a saved student).</summary>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape; the message names it.</exception>
    public static StudentHeads Create(StudentHeadsConfig config, WeightSet weights, Device? device = null)
    {
        var heads = new StudentHeads(config, device);
        try
        {
            heads.LoadWeights(weights);
            return heads;
        }
        catch
        {
            heads.Dispose();
            throw;
        }
    }

    /// <summary>Copies every parameter from <paramref name="weights"/>, checking every name and shape first.</summary>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape; the message names it.</exception>
    public void LoadWeights(WeightSet weights) => WeightSetCopy.CopyInto(named_parameters(), weights);

    /// <summary>Every parameter as float32 under its <see cref="StudentHeadNames"/> key, in module order: what export and saving write.</summary>
    public WeightSet ToWeightSet()
    {
        var set = new WeightSet();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            using var values = parameter.to(ScalarType.Float32, CPU, copy: true).contiguous();
            set.Add(name, parameter.shape, values.data<float>().ToArray());
        }

        return set;
    }

    /// <summary>PMA: <c>[batch, seq, d]</c> hidden states (any float dtype; pooled in float32) to <c>[batch, d]</c>.</summary>
    public Tensor Pool(Tensor hidden, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        using var scope = NewDisposeScope();
        return _pma.call(hidden.to(ScalarType.Float32), attentionMask).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The cosine term's half of an embedding: <c>[batch, seq, d]</c> states pooled as <see cref="StudentHeadsConfig.CosinePooling"/>
    /// (sentence-transformers' mean over real tokens, count at least 1e-9, or the first token) and L2-normalised
    /// (norm at least 1e-12), float32 <c>[batch, d]</c>: PoolingGraph's math.
    /// </summary>
    /// <exception cref="InvalidOperationException">The heads have no cosine term.</exception>
    public Tensor CosineUnit(Tensor hidden, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(attentionMask);
        var pooling = Config.CosinePooling ?? throw new InvalidOperationException("These heads have no cosine term.");
        using var scope = NewDisposeScope();
        var states = hidden.to(ScalarType.Float32);
        Tensor pooled;
        if (pooling == EmbeddingPooling.Cls)
        {
            pooled = states.select(1, 0);
        }
        else
        {
            var weights = attentionMask.ne(0).to(ScalarType.Float32).unsqueeze(-1);
            pooled = (states * weights).sum(1) / weights.sum(1).clamp_min(1e-9);
        }

        return nn.functional.normalize(pooled, p: 2, dim: -1, eps: 1e-12).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// An embedding as the bundle's encoder outputs it: PMA (<c>[batch, d]</c>), or with the cosine term
    /// [PMA ; <see cref="CosineUnit"/>] (<c>[batch, 2d]</c>).
    /// </summary>
    public Tensor Embed(Tensor hidden, Tensor attentionMask)
    {
        if (Config.CosinePooling is null)
        {
            return Pool(hidden, attentionMask);
        }

        using var scope = NewDisposeScope();
        return cat([Pool(hidden, attentionMask), CosineUnit(hidden, attentionMask)], 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The IEM on row-aligned pairs <c>[n, EmbeddingDim]</c>: logits <c>[n]</c> (with the cosine term, IEM(pooled) +
    /// a * unit_q . unit_p) and features <c>[n, H]</c>.
    /// </summary>
    public (Tensor Logits, Tensor Features) Interact(Tensor query, Tensor passage, StudentBranch branch) => _iem.Forward(query, passage, branch);

    /// <summary>A float32 <c>Linear</c> with zero <c>weight [out, in]</c> and <c>bias [out]</c>; values come from a <see cref="WeightSet"/>.</summary>
    internal static Linear ZeroLinear(long inFeatures, long outFeatures, Device device) =>
        nn.Linear(
            new Parameter(zeros(outFeatures, inFeatures, dtype: ScalarType.Float32, device: device)),
            new Parameter(zeros(outFeatures, dtype: ScalarType.Float32, device: device)));
}
