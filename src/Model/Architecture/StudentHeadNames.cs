namespace Rerank.Model.Architecture;

/// <summary>
/// Parameter names of the student's heads, shared by the trainer's modules, saved students and the ONNX graphs.
/// Linear weights are <c>[out, in]</c> as in PyTorch.
/// </summary>
internal static class StudentHeadNames
{
    /// <summary>PMA's learnable seed S, shape <c>[d]</c>.</summary>
    public const string PmaSeed = "pma.seed";

    public const string PmaQuery = "pma.fc_q";
    public const string PmaKey = "pma.fc_k";
    public const string PmaValue = "pma.fc_v";
    public const string PmaOutput = "pma.fc_o";
    public const string PmaNorm0 = "pma.ln0";
    public const string PmaNorm1 = "pma.ln1";

    /// <summary>W1, b1: <c>[iem_hidden, 2d]</c> over the concatenation [query ; passage].</summary>
    public const string IemInput = "iem.fc1";

    /// <summary>P0/c0 (symmetric branch, index 0) and P1/c1 (asymmetric branch, index 1): <c>[iem_hidden, iem_hidden]</c>.</summary>
    public const string IemBranchPrefix = "iem.branches.";

    /// <summary>The shared head w2, b2: <c>[1, iem_hidden]</c> and <c>[1]</c>.</summary>
    public const string IemHead = "iem.head";

    /// <summary>The scale a of the cosine term (<see cref="StudentHeadsConfig.CosinePooling"/>), shape <c>[1]</c>.</summary>
    public const string CosineScale = "iem.cosine_scale";

    /// <summary>a's starting value (docs/starter-model.md): cosines in [-1, 1] become logits in [-20, 20].</summary>
    public const float CosineScaleStart = 20f;

    public static string Weight(string module) => module + ".weight";

    public static string Bias(string module) => module + ".bias";

    public static string IemBranch(int branch) => IemBranchPrefix + branch.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
