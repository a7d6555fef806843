using Rerank.Model.Architecture;
using Rerank.Model.Runtime;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Rerank.Trainer.Student;

/// <summary>
/// <c>iem</c>: the interaction emulation module over row-aligned (query, passage) embedding pairs, as the paper writes it
/// (src/Model's <c>IemGraph.AddInteraction</c>; the bundle's scorer is its exact factorised form).
/// </summary>
/// <remarks>
/// D2LLM.md section 2, hidden width H, input order [query ; passage]:
/// 1. x = ReLU(fc1([q ; p])), fc1: 2d -> H.
/// 2. y = ReLU(branches[b](x)), H -> H; branch 0 symmetric (NLI/STS), 1 asymmetric (retrieval).
/// 3. logit = head(y), H -> 1, one head shared by both branches; y is the student feature y^S.
/// With the cosine term (<see cref="StudentHeadsConfig.CosinePooling"/>, ours, beyond the paper) each embedding is
/// [y^agg ; unit] of width 2d (the PMA output, then the backbone's pooled, L2-normalised state): steps 1 to 3 read the
/// y^agg halves and logit += a * (unit_q . unit_p), a = <c>cosine_scale</c> (IemGraph's math; features unchanged).
/// Parameters are float32 and named as <see cref="StudentHeadNames"/> without the <c>iem.</c> prefix. Not thread-safe.
/// </remarks>
internal sealed class Iem : nn.Module
{
    [ComponentName(Name = "fc1")]
    private readonly Linear _fc1;

    [ComponentName(Name = "branches")]
    private readonly ModuleList<Linear> _branches;

    [ComponentName(Name = "head")]
    private readonly Linear _head;

    [ComponentName(Name = "cosine_scale")]
    private readonly Parameter? _cosineScale;

    private readonly long _dim;

    /// <summary>An IEM of <paramref name="config"/>'s sizes; every parameter is zero until loaded.</summary>
    public Iem(StudentHeadsConfig config, Device device) : base(nameof(Iem))
    {
        ArgumentNullException.ThrowIfNull(config);
        _fc1 = StudentHeads.ZeroLinear(2L * config.Dim, config.IemHidden, device);
        _branches = nn.ModuleList(StudentHeads.ZeroLinear(config.IemHidden, config.IemHidden, device), StudentHeads.ZeroLinear(config.IemHidden, config.IemHidden, device));
        _head = StudentHeads.ZeroLinear(config.IemHidden, 1, device);
        _dim = config.Dim;
        if (config.CosinePooling is not null)
        {
            _cosineScale = new Parameter(zeros(1, dtype: ScalarType.Float32, device: device));
        }

        RegisterComponents();
    }

    /// <summary>Whether the cosine term is on: embeddings are [y^agg ; unit], width 2d.</summary>
    public bool HasCosineTerm => _cosineScale is not null;

    /// <param name="query">float32 <c>[n, d]</c>, or <c>[n, 2d]</c> with the cosine term.</param>
    /// <param name="passage">float32 of the query's width, row i paired with query row i.</param>
    /// <param name="branch">The branch whose projection is applied.</param>
    /// <returns>The logits z^S <c>[n]</c> and the features y^S <c>[n, H]</c>.</returns>
    public (Tensor Logits, Tensor Features) Forward(Tensor query, Tensor passage, StudentBranch branch)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(passage);
        if (branch is not (StudentBranch.Symmetric or StudentBranch.Asymmetric))
        {
            throw new ArgumentOutOfRangeException(nameof(branch), branch, "The branch must be symmetric (0) or asymmetric (1).");
        }

        using var scope = NewDisposeScope();

        // Steps 1 to 3.
        var (pooledQuery, pooledPassage) = _cosineScale is null ? (query, passage) : (query.narrow(1, 0, _dim), passage.narrow(1, 0, _dim));
        var x = nn.functional.relu(_fc1.call(cat([pooledQuery, pooledPassage], 1)));
        var features = nn.functional.relu(_branches[(int)branch].call(x));
        var logits = _head.call(features).squeeze(-1);
        if (_cosineScale is not null)
        {
            var cosine = (query.narrow(1, _dim, _dim) * passage.narrow(1, _dim, _dim)).sum(1);
            logits = logits + (_cosineScale * cosine);
        }
        return (logits.MoveToOuterDisposeScope(), features.MoveToOuterDisposeScope());
    }
}
