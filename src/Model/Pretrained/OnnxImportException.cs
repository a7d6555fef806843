namespace Rerank.Model.Pretrained;

/// <summary>
/// An ONNX export whose weights cannot be recovered under BERT names. Every problem is found before this is thrown,
/// each naming the node, initializer or expected parameter; the message lists them one per indented line. An
/// <see cref="IOException"/> (a malformed file), so the command lines report it as a user error, on one line.
/// </summary>
internal sealed class OnnxImportException : IOException
{
    public OnnxImportException(string source, IReadOnlyList<string> problems)
        : base($"{source}: not a BERT export this importer can read:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        Problems = problems;
    }

    public OnnxImportException()
        : this("model", [])
    {
    }

    public OnnxImportException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public OnnxImportException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Problems { get; }
}
