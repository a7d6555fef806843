namespace Rerank.Model.Checkpoints;

/// <summary>
/// A Hugging Face model directory that cannot be loaded. Every problem is found before this is thrown, each as
/// <c>file: what is wrong</c> naming the tensor where there is one. <c>rerank-train</c> reports it as a user error
/// (its <c>TrainCommand.IsUserError</c>).
/// </summary>
internal sealed class CheckpointException : Exception
{
    public CheckpointException(string directory, IReadOnlyList<string> problems)
        : base($"Checkpoint {directory} cannot be loaded:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        Directory = directory;
        Problems = problems;
    }

    public CheckpointException()
        : this("", [])
    {
    }

    public CheckpointException(string message)
        : base(message)
    {
        Directory = "";
        Problems = [message];
    }

    public CheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
        Directory = "";
        Problems = [message];
    }

    public string Directory { get; }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Problems { get; }
}
