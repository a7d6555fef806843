using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Rerank.Trainer.Lora;

/// <summary>
/// A linear layer with a LoRA update: <c>y = x W^T + b + scaling * B(A(dropout(x)))</c>, as PEFT's <c>lora.Linear</c>.
/// The base <c>weight</c> and <c>bias</c> keep their names (and their checkpoint keys) and are frozen; <c>lora_A.weight</c>
/// <c>[r, in]</c> and <c>lora_B.weight</c> <c>[out, r]</c> are the trainable parameters.
/// </summary>
/// <remarks>
/// 1. <c>lora_A</c> is Kaiming-uniform with a = sqrt(5), as PEFT (and <c>nn.Linear</c>) initialise it: uniform on
///    <c>[-1/sqrt(in), 1/sqrt(in)]</c>; <c>lora_B</c> is zero, so a new adapter leaves the output unchanged.
/// 2. The adapters are float32 whatever the base dtype (PEFT's <c>autocast_adapter_dtype</c>): the input is cast to
///    float32 for the update and the update cast back before it is added.
/// 3. <see cref="Merge"/> adds <c>scaling * B A</c> to the base weight (in its dtype) and the forward pass then skips the
///    update; <see cref="Unmerge"/> subtracts it again (exact up to the base dtype's rounding).
/// </remarks>
internal sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    [ComponentName(Name = "bias")]
    private readonly Parameter? _bias;

    [ComponentName(Name = "lora_dropout")]
    private readonly Dropout? _loraDropout;

    [ComponentName(Name = "lora_A")]
    private readonly Linear _loraA;

    [ComponentName(Name = "lora_B")]
    private readonly Linear _loraB;

    /// <summary>Wraps <paramref name="baseLayer"/>, taking over (and freezing) its parameters.</summary>
    /// <param name="baseLayer">The layer to adapt; its parameters move into this module, so it must not be used or disposed afterwards.</param>
    /// <param name="rank">r.</param>
    /// <param name="scaling">The factor on the update (alpha / r).</param>
    /// <param name="dropout">Dropout probability on the adapter's input; 0 for none.</param>
    /// <param name="generator">A CPU generator for <c>lora_A</c>'s initialisation.</param>
    public LoraLinear(Linear baseLayer, int rank, double scaling, double dropout, Generator generator) : base(nameof(LoraLinear))
    {
        ArgumentNullException.ThrowIfNull(baseLayer);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        _weight = baseLayer.weight ?? throw new ArgumentException("The base layer has no weight.", nameof(baseLayer));
        _bias = baseLayer.bias;
        _weight.requires_grad = false;
        if (_bias is not null)
        {
            _bias.requires_grad = false;
        }

        Scaling = scaling;
        Rank = rank;
        var inFeatures = _weight.shape[1];
        var outFeatures = _weight.shape[0];
        var device = _weight.device;
        _loraDropout = dropout > 0 ? nn.Dropout(dropout) : null;

        // 1.
        var bound = 1 / Math.Sqrt(inFeatures);
        using (no_grad())
        {
            using var a = empty(rank, inFeatures, dtype: ScalarType.Float32).uniform_(-bound, bound, generator);
            _loraA = nn.Linear(new Parameter(a.to(device)), null);
            _loraB = nn.Linear(new Parameter(zeros(outFeatures, rank, dtype: ScalarType.Float32, device: device)), null);
        }

        RegisterComponents();
    }

    public int Rank { get; }

    public double Scaling { get; }

    /// <summary>Whether the update is currently added into the base weight.</summary>
    public bool IsMerged { get; private set; }

    public Parameter Weight => _weight;

    public Parameter LoraA => _loraA.weight!;

    public Parameter LoraB => _loraB.weight!;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var result = nn.functional.linear(input, _weight, _bias);
        if (!IsMerged)
        {
            // 2.
            var x = input.to(ScalarType.Float32);
            if (_loraDropout is not null)
            {
                x = _loraDropout.call(x);
            }

            result = result + (_loraB.call(_loraA.call(x)) * Scaling).to(result.dtype);
        }

        return result.MoveToOuterDisposeScope();
    }

    /// <summary><c>scaling * B A</c>, float32 <c>[out, in]</c>, a new tensor without autograd history.</summary>
    public Tensor Delta()
    {
        using var noGrad = no_grad();
        using var product = LoraB.matmul(LoraA);
        return product * Scaling;
    }

    /// <summary>The base weight with the update added, float32 on the CPU, whether or not it is merged; the model is unchanged.</summary>
    public Tensor MergedWeight()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var weight = _weight.to(ScalarType.Float32, CPU, copy: true);
        return (IsMerged ? weight : weight + Delta().cpu()).MoveToOuterDisposeScope();
    }

    /// <summary>3. Adds the update into the base weight. Idempotent.</summary>
    public void Merge()
    {
        if (IsMerged)
        {
            return;
        }

        using var noGrad = no_grad();
        using var delta = Delta();
        using var cast = delta.to(_weight.dtype);
        _weight.add_(cast);
        IsMerged = true;
    }

    /// <summary>3. Subtracts the update from the base weight again. Idempotent.</summary>
    public void Unmerge()
    {
        if (!IsMerged)
        {
            return;
        }

        using var noGrad = no_grad();
        using var delta = Delta();
        using var cast = delta.to(_weight.dtype);
        _weight.sub_(cast);
        IsMerged = false;
    }
}
