namespace Rerank.Model.Runtime;

/// <summary>The short names of the branches used in manifests, configuration and the command line.</summary>
public static class StudentBranchNames
{
    public const string Symmetric = "sym";
    public const string Asymmetric = "asym";

    public static string ToName(this StudentBranch branch) => branch switch
    {
        StudentBranch.Symmetric => Symmetric,
        StudentBranch.Asymmetric => Asymmetric,
        _ => throw new ArgumentOutOfRangeException(nameof(branch), branch, "Unknown branch."),
    };

    public static bool TryParse(string? name, out StudentBranch branch)
    {
        switch (name)
        {
            case Symmetric:
                branch = StudentBranch.Symmetric;
                return true;
            case Asymmetric:
                branch = StudentBranch.Asymmetric;
                return true;
            default:
                branch = default;
                return false;
        }
    }
}
