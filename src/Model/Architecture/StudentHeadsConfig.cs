using System.Text.Json.Serialization;

namespace Rerank.Model.Architecture;

/// <summary>The sizes of the student's heads on top of the backbone (D2LLM.md section 2).</summary>
public sealed record StudentHeadsConfig
{
    /// <summary>d: the backbone's hidden size, which PMA keeps.</summary>
    public required int Dim { get; init; }

    /// <summary>h: PMA's attention heads; divides <see cref="Dim"/>.</summary>
    public required int PmaHeads { get; init; }

    /// <summary>The IEM's hidden width (the paper's 512): the size of u_p and of the student feature y^S.</summary>
    public int IemHidden { get; init; } = 512;

    /// <summary>LayerNorm epsilon of PMA's two norms (PyTorch's default).</summary>
    public double LayerNormEps { get; init; } = 1e-5;

    /// <summary>
    /// Beyond the paper (docs/starter-model.md): when set, logit = a * cos(q^, p^) + IEM(q, p), where q^ and p^ are the
    /// backbone's last hidden states pooled this way and L2-normalised (the pretrained encoder's own similarity) and a is
    /// the learned <c>iem.cosine_scale</c>. Null (the default, not written): the paper's IEM alone. Needs format version 2.
    /// </summary>
    public EmbeddingPooling? CosinePooling { get; init; }

    /// <summary>
    /// Width of the encoder's <c>embedding</c> output: d, or 2d with <see cref="CosinePooling"/> ([PMA output ; p^]).
    /// </summary>
    [JsonIgnore]
    public int EmbeddingDim => CosinePooling is null ? Dim : 2 * Dim;

    /// <summary>
    /// Width of a stored passage projection: H (u_p), or H + d with <see cref="CosinePooling"/> ([u_p ; p^]).
    /// </summary>
    [JsonIgnore]
    public int ProjectionDim => CosinePooling is null ? IemHidden : IemHidden + Dim;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Dim <= 0)
        {
            errors.Add($"dim must be positive (is {Dim}).");
        }

        if (PmaHeads <= 0 || (Dim > 0 && Dim % PmaHeads != 0))
        {
            errors.Add($"pma heads {PmaHeads} must be positive and divide dim {Dim}.");
        }

        if (IemHidden <= 0)
        {
            errors.Add($"iem hidden must be positive (is {IemHidden}).");
        }

        if (!(LayerNormEps > 0))
        {
            errors.Add($"layer-norm eps must be positive (is {LayerNormEps}).");
        }

        return errors;
    }
}
