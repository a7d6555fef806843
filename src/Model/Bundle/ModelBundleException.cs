namespace Rerank.Model.Bundle;

/// <summary>A model bundle that cannot be used. Each problem names the file (relative to the bundle) and, where it applies, the field.</summary>
public sealed class ModelBundleException : Exception
{
    public ModelBundleException(string directory, IReadOnlyList<string> problems)
        : base($"Model bundle {directory} is not valid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        Directory = directory;
        Problems = problems;
    }

    public ModelBundleException()
        : this("", [])
    {
    }

    public ModelBundleException(string message)
        : base(message)
    {
        Directory = "";
        Problems = [message];
    }

    public ModelBundleException(string message, Exception innerException)
        : base(message, innerException)
    {
        Directory = "";
        Problems = [message];
    }

    public string Directory { get; }

    /// <summary>Every problem found, as <c>file: field: what is wrong</c>.</summary>
    public IReadOnlyList<string> Problems { get; }
}
