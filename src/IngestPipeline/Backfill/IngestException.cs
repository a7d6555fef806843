namespace Rerank.IngestPipeline.Backfill;

/// <summary>
/// A problem with the cluster or the index that the user can act on: the cluster cannot be reached, the index is
/// missing or has no (or an incompatible) config, the bundle is not the configured model. The message is one sentence
/// that names what is wrong; <c>rerank ingest</c> prints it as its <c>error:</c> line.
/// </summary>
public sealed class IngestException : Exception
{
    public IngestException(string message)
        : base(message)
    {
    }

    public IngestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
