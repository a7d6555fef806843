using Rerank.Model.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Rerank.Trainer.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter; PyTorch's <c>torch.optim.AdamW</c> update, written out so its state is ours to save and
/// restore bit for bit) and global-norm gradient clipping, over float32 parameters.
/// </summary>
/// <remarks>
/// Update t (1-based) of a parameter p with gradient g at rate lr, as PyTorch computes it:
/// 1. p = p * (1 - lr * wd) when p decays;
/// 2. m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// 3. p = p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
/// Parameters whose gradient is undefined are skipped. Not thread-safe.
/// </remarks>
internal sealed class AdamWOptimizer : IDisposable
{
    private readonly List<(TrainableParameter Parameter, Tensor ExpAvg, Tensor ExpAvgSq)> _state;

    public AdamWOptimizer(IReadOnlyList<TrainableParameter> parameters, double beta1, double beta2, double epsilon, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        (Beta1, Beta2, Epsilon, WeightDecay) = (beta1, beta2, epsilon, weightDecay);
        _state = [.. parameters.Select(p => (p, zeros_like(p.Parameter).detach(), zeros_like(p.Parameter).detach()))];
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    public double WeightDecay { get; }

    /// <summary>Updates made so far (t of the last one).</summary>
    public long Steps { get; private set; }

    public IEnumerable<TrainableParameter> Parameters => _state.Select(s => s.Parameter);

    /// <summary>
    /// The code's rule (<c>no_decay = ['bias', ...]</c>): every parameter but biases decays, norm weights and the PMA seed
    /// included; ours adds the cosine term's scale <c>iem.cosine_scale</c>, which decay would pull from the encoder's
    /// ranking towards zero.
    /// </summary>
    public static bool Decays(string name) => !name.EndsWith("bias", StringComparison.Ordinal) && name != Rerank.Model.Architecture.StudentHeadNames.CosineScale;

    /// <summary>
    /// Scales every gradient by min(1, maxNorm / (norm + 1e-6)), norm the L2 norm over all of them (PyTorch's
    /// <c>clip_grad_norm_</c>); maxNorm 0 only measures.
    /// </summary>
    /// <returns>The norm before clipping.</returns>
    public double ClipGradients(double maxNorm)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var norms = _state.Select(s => s.Parameter.Parameter.grad).Where(g => g is not null).Select(g => linalg.vector_norm(g!, 2)).ToList();
        if (norms.Count == 0)
        {
            return 0;
        }

        var total = linalg.vector_norm(stack(norms), 2);
        var norm = total.ToDouble();
        if (maxNorm > 0)
        {
            var coefficient = (maxNorm / (total + 1e-6)).clamp_max(1.0);
            foreach (var (parameter, _, _) in _state)
            {
                parameter.Parameter.grad?.mul_(coefficient);
            }
        }

        return norm;
    }

    /// <summary>One update at rate <paramref name="learningRate"/> (see the remarks).</summary>
    public void Step(double learningRate)
    {
        Steps++;
        var correction1 = 1 - Math.Pow(Beta1, Steps);
        var correction2 = Math.Sqrt(1 - Math.Pow(Beta2, Steps));
        using var noGrad = no_grad();
        foreach (var (parameter, expAvg, expAvgSq) in _state)
        {
            using var scope = NewDisposeScope();
            var p = parameter.Parameter;
            if (p.grad is not { } grad)
            {
                continue;
            }

            if (parameter.Decay && WeightDecay != 0)
            {
                p.mul_(1 - (learningRate * WeightDecay));
            }

            expAvg.mul_(Beta1).add_(grad, alpha: 1 - Beta1);
            expAvgSq.mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
            var denominator = (expAvgSq.sqrt() / correction2).add_(Epsilon);
            p.addcdiv_(expAvg, denominator, value: -learningRate / correction1);
        }
    }

    /// <summary>Clears every gradient (sets it undefined).</summary>
    public void ZeroGrad()
    {
        foreach (var (parameter, _, _) in _state)
        {
            parameter.Parameter.grad = null;
        }
    }

    /// <summary>Writes m and v of every parameter (float32, <c>exp_avg.{name}</c> / <c>exp_avg_sq.{name}</c>) to a safetensors file.</summary>
    public void Save(string path)
    {
        var entries = new List<SafetensorsWriteEntry>();
        foreach (var (parameter, expAvg, expAvgSq) in _state)
        {
            entries.Add(Entry("exp_avg." + parameter.Name, expAvg));
            entries.Add(Entry("exp_avg_sq." + parameter.Name, expAvgSq));
        }

        SafetensorsWriter.Write(path, entries, new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>Restores m, v and the update count written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">A tensor is missing or has another shape; the message names it.</exception>
    public void Load(string path, long steps)
    {
        using var file = SafetensorsFile.Open(path);
        using var noGrad = no_grad();
        foreach (var (parameter, expAvg, expAvgSq) in _state)
        {
            foreach (var (key, target) in new[] { ("exp_avg." + parameter.Name, expAvg), ("exp_avg_sq." + parameter.Name, expAvgSq) })
            {
                if (!file.Contains(key) || !file.Get(key).Shape.AsSpan().SequenceEqual(target.shape))
                {
                    throw new InvalidDataException($"{path}: optimizer state '{key}' is missing or has another shape than the parameter");
                }

                using var values = tensor(file.ReadSingles(key), target.shape);
                target.copy_(values);
            }
        }

        Steps = steps;
    }

    public void Dispose()
    {
        foreach (var (_, expAvg, expAvgSq) in _state)
        {
            expAvg.Dispose();
            expAvgSq.Dispose();
        }
    }

    private static SafetensorsWriteEntry Entry(string key, Tensor value)
    {
        using var values = value.to(ScalarType.Float32, CPU, copy: true).contiguous();
        return SafetensorsWriteEntry.FromSingles(key, SafetensorsDtype.F32, value.shape, values.data<float>().ToArray());
    }
}
